import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/index.ts';
import { ingestInJs } from '../../src/ingest/ingest.ts';
import { ingestTextInSql } from '../../src/ingest/text-in-sql.ts';
import { internalContext } from '../../src/internal.ts';
import { writeSyntheticCsv } from '../../src/synth/index.ts';
import { outcome, scratchFiles, storedRows, twinEngines } from './twin-engines.ts';

const now = () => new Date('2026-06-01T00:00:00Z');
// One engine takes the file through the SQL path, the other the same text as bytes (the JS path:
// splitter, fast path, schema), which is the reference.
const engines = twinEngines(now);
const write = scratchFiles('insights-csv-in-sql', 'csv');
const stored = storedRows;

/**
 * Ingests `text` by path into `sql` (SQL path first, then the JS path if it gives up) and as bytes
 * into `js`; expects the same report or error and the same stored rows. Returns whether the SQL
 * path took the file.
 */
async function agree(text: string, prefix: string): Promise<boolean> {
  const file = write(text);
  const direct = await ingestTextInSql(internalContext(engines.sql), { path: file, format: 'csv' }, {});
  if (direct === undefined) {
    // Given up: nothing written, then the usual path runs.
    expect(await stored(engines.sql, prefix)).toEqual([]);
  }
  const expected = await outcome(() =>
    ingestInJs(internalContext(engines.js), { data: text, format: 'csv' }),
  );
  if (direct !== undefined) expect({ ok: direct }).toEqual(expected);
  else
    expect(await outcome(() => engines.sql.incidents.ingest({ path: file, format: 'csv' }))).toEqual(
      expected,
    );
  expect(await stored(engines.sql, prefix)).toEqual(await stored(engines.js, prefix));
  return direct !== undefined;
}

const header = 'external_id,title,severity,created_at,resolved_at,escalation_level,tags,status,description';

describe('CSV ingested in SQL', () => {
  it('stores what the JS path stores for plainly valid rows, with duplicates resolved in source order', async () => {
    const rows = [
      'd-1,Disk full,LOW,2026-01-02T03:04:05Z,2026-01-02T04:00:00.5Z,2,a;b,,',
      'd-2,"Disk, full ""db""",HIGH,2026-01-02,,,,CLOSED,"two\nlines"',
      'd-1,Replaced,CRITICAL,2026-01-02T03:04:05.123,,7, x ; ;y ,,last wins',
      'd-3,Third,MEDIUM,2024-02-29T23:59:59Z,2024-03-01T00:00:00Z,0,,RESOLVED,',
    ];
    expect(await agree(`\ufeff${header}\r\n${rows.join('\r\n')}\r\n`, 'd-')).toBe(true);
    const [first] = (await stored(engines.sql, 'd-1')) as Record<string, unknown>[];
    // Worked by hand: the later d-1 row wins; its local time is UTC; tags split on ';' and trimmed.
    expect(first).toMatchObject({ title: 'Replaced', escalation_level: 7, tags: ['x', 'y'], status: 'OPEN' });
  });

  it('stores the synthetic file (quoted commas, tags, every optional field) as the JS path does', async () => {
    const file = write('');
    await writeSyntheticCsv(file, { seed: 3, count: 1500 });
    const text = readFileSync(file, 'utf8').replaceAll('SYN-', 's-');
    expect(await agree(text, 's-')).toBe(true);
  });

  it('gives up on a file with one invalid row: nothing written, and the JS path gives the row errors', async () => {
    const text = `${header}\ne-1,Fine,LOW,2026-01-02T03:04:05Z,,,,,\ne-2,Bad,SEVERE,2026-01-02T03:04:05Z,,,,,\n`;
    const file = write(text);
    expect(await ingestTextInSql(internalContext(engines.sql), { path: file }, {})).toBeUndefined();
    await expect(engines.sql.incidents.ingest({ path: file })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { errors: [{ row: 2, line: 3, field: 'severity' }] },
    });
    expect(await stored(engines.sql, 'e-')).toEqual([]);
  });

  it('splits tags as the JS path does on both sides of the 100 bytes below which no lambda runs', async () => {
    // [tags, taken by the SQL path]: worked by hand from the rules (at most 50 pieces of at most 100
    // characters, split on ';', trimmed, empty pieces dropped).
    const cases: [string, boolean][] = [
      ['x'.repeat(100), true],
      ['x'.repeat(101), false],
      ['a;'.repeat(50), true],
      [`${'a;'.repeat(50)}a`, false],
      [`${'a; '.repeat(40)}`, true],
      ['a;;b', true],
      [';a', true],
      ['a;', true],
      ['a b;c', true],
      [' x ; y ', true],
      [' [x', false],
    ];
    for (const [i, [tags, taken]] of cases.entries()) {
      const text = `external_id,title,severity,created_at,tags\ng${i}-1,T,LOW,2026-01-02,${tags}\n`;
      expect(await agree(text, `g${i}-`), tags).toBe(taken);
    }
  });

  it('refuses an unknown column as the JS path does', async () => {
    const text = 'external_id,title,severity,created_at,extra\nu-1,T,LOW,2026-01-02,x\n';
    expect(await agree(text, 'u-')).toBe(false);
  });

  it('keeps given ids: into an empty table straight, and a taken id is still a conflict', async () => {
    const engine = await openEngine({ path: ':memory:', now });
    try {
      const id = 'a1b2c3d4-0000-4000-8000-000000000001';
      const file = write(`id,external_id,title,severity,created_at\n${id},i-1,T,LOW,2026-01-02T00:00:00Z\n`);
      const report = await ingestTextInSql(internalContext(engine), { path: file }, {});
      expect(report).toMatchObject({ received: 1, inserted: 1 });
      expect(await internalContext(engine).db.all('SELECT CAST(id AS VARCHAR) AS id FROM incidents')).toEqual(
        [{ id }],
      );
      const taken = write(`id,external_id,title,severity,created_at\n${id},i-2,T,LOW,2026-01-02T00:00:00Z\n`);
      await expect(ingestTextInSql(internalContext(engine), { path: taken }, {})).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { errors: [{ row: 1, field: 'id' }] },
      });
      expect(await engine.incidents.count()).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('accepts or refuses awkward files exactly as the JS path does, with the same values', async () => {
    const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
    const plainWeighted = <T>(plain: readonly T[], awkward: readonly T[]) =>
      fc.oneof({ weight: 30, arbitrary: pick(plain) }, { weight: 1, arbitrary: pick(awkward) });
    const cells = fc.record({
      title: plainWeighted(
        ['Disk full', 'a, b', 'say "hi"', 'x'],
        [
          ' padded ',
          'tab\tin',
          'ünï',
          '',
          'x'.repeat(501),
          'line\nbreak',
          '  ',
          'Ω'.repeat(300),
          '\u00a0nbsp',
        ],
      ),
      severity: plainWeighted(['LOW', 'HIGH'], ['low', '', 'SEVERE', ' LOW']),
      created: plainWeighted(
        ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.123Z', '2026-01-02T03:04:05', '2026-01-02'],
        [
          '2026-01-02T03:04:05+02:00',
          '2026-02-30T00:00:00Z',
          '2026-01-02T24:00:00Z',
          '2026-01-02 03:04:05',
          '1969-12-31T23:59:59Z',
          '2026-01-02T03:04Z',
          '2026-01-02T03:04:05.123456Z',
          ' 2026-01-02T03:04:05Z',
          '',
          '2026-1-2',
        ],
      ),
      resolved: plainWeighted(
        ['', '2026-01-03T00:00:00Z'],
        ['2026-01-01T00:00:00Z', '2026-01-02T03:04:05.1Z', 'x'],
      ),
      escalation: plainWeighted(
        ['', '0', '3'],
        [' 4', '-1', '1.5', '007', '99999999999', '2147483648', '2147483647', 'x'],
      ),
      tags: plainWeighted(
        ['', 'a;b', 'ops'],
        [
          ' a ; ;b ',
          '["x","y"]',
          '[bad',
          'ü;x',
          ';',
          'x'.repeat(101),
          'a;'.repeat(51),
          // About the 100 bytes below which no lambda runs, and the pieces split as they are.
          'x'.repeat(100),
          'a;'.repeat(50),
          `${'a;'.repeat(50)}a`,
          'a;;b',
          ';a',
          'a;',
          'a b;c',
          ' [x',
        ],
      ),
      status: plainWeighted(['', 'OPEN', 'CLOSED'], ['open', 'DONE']),
      description: plainWeighted(['', 'ok', 'two\nlines'], [' lead', 'cr\r\nlf', 'quote "here"', 'x\ry']),
    });
    const encodings = ['quoted', 'raw', 'spaceBefore', 'spaceAfter'] as const;
    const encode = (value: string, how: (typeof encodings)[number]) => {
      const quoted = `"${value.replaceAll('"', '""')}"`;
      if (how === 'raw') return value;
      if (how === 'spaceBefore') return ` ${quoted}`;
      if (how === 'spaceAfter') return `${quoted} `;
      return /[",\r\n]/.test(value) ? quoted : value;
    };
    const file = fc.record({
      rows: fc.array(
        fc.record({
          cells,
          duplicate: fc.boolean(),
          how: plainWeighted<(typeof encodings)[number]>(['quoted'], encodings),
        }),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
      lineEnd: plainWeighted(['\n', '\r\n'], ['\r']),
      bom: fc.boolean(),
      blankLine: plainWeighted([false], [true]),
      ragged: plainWeighted([false], [true]),
      finalNewline: fc.boolean(),
    });
    let sqlTook = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(file, async (f) => {
        const prefix = `k${runs++}-`;
        const lines = f.rows.map(({ cells: c, duplicate, how }, i) => {
          const values = [
            `${prefix}${duplicate ? 0 : i}`,
            c.title,
            c.severity,
            c.created,
            c.resolved,
            c.escalation,
            c.tags,
            c.status,
            c.description,
          ];
          const line = values.map((v) => encode(v, how)).join(',');
          return f.ragged && i === 0 ? `${line},extra` : line;
        });
        if (f.blankLine) lines.splice(1, 0, '');
        const text = `${f.bom ? '\ufeff' : ''}${[header, ...lines].join(f.lineEnd)}${f.finalNewline ? f.lineEnd : ''}`;
        if (await agree(text, prefix)) sqlTook++;
      }),
      { seed: 14, numRuns: 120 },
    );
    // The property means something only if the SQL path took a good share of the files.
    expect(sqlTook).toBeGreaterThan(20);
  });
});
