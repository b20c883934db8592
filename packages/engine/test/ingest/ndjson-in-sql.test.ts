import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestSource } from '../../src/index.ts';
import { ingestNdjsonInSql, sampledKeys } from '../../src/ingest/ndjson-in-sql.ts';
import { ndjsonAllowedKeys } from '../../src/ingest/ndjson-sql-check.ts';
import { hasStrictJsonSyntax } from '../../src/ingest/ndjson-syntax.ts';
import { internalContext } from '../../src/internal.ts';
import { writeSyntheticNdjson } from '../../src/synth/index.ts';
import { outcome, scratchFiles, storedRows, twinEngines } from './twin-engines.ts';

const now = () => new Date('2026-06-01T00:00:00Z');
// One engine takes the file through the SQL path, the other the same text as bytes (the JS path:
// readNdjson, fast path, schema), which is the reference.
const engines = twinEngines(now);
const write = scratchFiles('insights-ndjson-in-sql', 'ndjson');
const stored = storedRows;

type Reshape = Pick<Extract<IngestSource, { path: string }>, 'columnMapping' | 'ignoreColumns'>;

/**
 * Ingests `text` by path into `sql` (SQL path first, then the JS path if it gives up) and as bytes
 * into `js`; expects the same report or error (row errors included) and the same stored rows.
 * Returns whether the SQL path took the file.
 */
async function agree(text: string, prefix: string, reshape: Reshape = {}): Promise<boolean> {
  const file = write(text);
  const source = { path: file, format: 'ndjson', ...reshape } as const;
  const direct = await ingestNdjsonInSql(internalContext(engines.sql), source, {});
  if (direct === undefined) {
    // Given up: nothing written, then the usual path runs.
    expect(await stored(engines.sql, prefix)).toEqual([]);
  }
  const expected = await outcome(() =>
    engines.js.incidents.ingest({ data: new TextEncoder().encode(text), format: 'ndjson', ...reshape }),
  );
  if (direct !== undefined) expect({ ok: direct }).toEqual(expected);
  else expect(await outcome(() => engines.sql.incidents.ingest(source))).toEqual(expected);
  expect(await stored(engines.sql, prefix)).toEqual(await stored(engines.js, prefix));
  return direct !== undefined;
}

const lines = (...records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('NDJSON ingested in SQL', () => {
  it('stores what the JS path stores for plainly valid lines, with duplicates resolved in source order', async () => {
    const text = [
      '{"external_id":"d-1","title":"Disk full","severity":"LOW","created_at":"2026-01-02T03:04:05Z","resolved_at":"2026-01-02T04:00:00.5Z","escalation_level":2,"tags":["a","b"]}',
      '',
      '  ',
      '{"external_id":"d-2","title":"Disk, \\"full\\" \\u00e9 x","severity":"HIGH","created_at":"2026-01-02","status":"CLOSED","description":"two\\nlines","reopen_count":"3","affected_users":null}',
      '{"external_id":"d-1","title":"Replaced","severity":"CRITICAL","created_at":"2026-01-02T03:04:05.123","escalation_level":"7","tags":[],"priority":"P2"}',
      '{"id":"a1b2c3d4-0000-4000-8000-000000000009","external_id":"d-3","title":"Third","severity":"MEDIUM","created_at":"2024-02-29T23:59:59Z","resolved_at":"2024-03-01T00:00:00Z","description":"","tags":["", "x y"],"service":"db","team":"ops","category":"c","subcategory":"s"}',
    ].join('\r\n');
    expect(await agree(text, 'd-')).toBe(true);
    const [first] = (await stored(engines.sql, 'd-1')) as Record<string, unknown>[];
    // Worked by hand: the later d-1 line wins; its local time is UTC; the count is read from a string.
    expect(first).toMatchObject({ title: 'Replaced', escalation_level: 7, tags: [], status: 'OPEN' });
  });

  it('stores the synthetic file (tags, every optional field) as the JS path does', async () => {
    const file = write('');
    await writeSyntheticNdjson(file, { seed: 3, count: 500 });
    const text = readFileSync(file, 'utf8').replaceAll('SYN-', 's-');
    expect(await agree(text, 's-')).toBe(true);
  });

  it('reads a mapped key and leaves an ignored one, as the JS path does', async () => {
    const record = {
      ref: 'm-1',
      summary: 'Mapped',
      severity: 'LOW',
      created_at: '2026-01-02',
      note: [1, { a: 2 }],
    };
    const reshape = { columnMapping: { external_id: 'ref', title: 'summary' }, ignoreColumns: ['note'] };
    expect(await agree(lines(record), 'm-', reshape)).toBe(true);
    // A NaN in an ignored value: DuckDB reads it, JSON.parse does not.
    const nan = `{"ref":"n-1","summary":"T","severity":"LOW","created_at":"2026-01-02","note":NaN}\n`;
    expect(await agree(nan, 'n-', reshape)).toBe(false);
    // Keys are bound as parameters, never pasted into the statement: quotes and SQL read as text.
    const odd = { external_id: "it's ref", title: "sum'); DROP TABLE incidents; --" };
    const oddRecord = {
      "it's ref": 'q-1',
      "sum'); DROP TABLE incidents; --": 'Quoted',
      severity: 'LOW',
      created_at: '2026-01-02',
      "no'te": 1,
    };
    expect(await agree(lines(oddRecord), 'q-', { columnMapping: odd, ignoreColumns: ["no'te"] })).toBe(true);
  });

  it('gives up on every kind of bad line, and the row errors are the JS validator’s, rows and lines included', async () => {
    const good = { external_id: 'b-0', title: 'Fine', severity: 'LOW', created_at: '2026-01-02T03:04:05Z' };
    const bad = [
      '{"external_id":"b-1","title":"T","severity":"LOW","created_at":"2026-01-02",}',
      '[1,2]',
      '"text"',
      'null',
      '{not json',
      '{"external_id":"b-3","title":"T","severity":"LOW","created_at":"2026-01-02","extra":1}',
      '{"external_id":"b-4","title":123,"severity":"LOW","created_at":"2026-01-02"}',
      '{"external_id":"b-5","severity":"LOW","created_at":"2026-01-02"}',
      '{"external_id":"b-6","title":"T","severity":"SEVERE","created_at":"2026-01-02"}',
      '{"external_id":"b-7","title":"T","severity":"LOW","created_at":"2026-02-30T00:00:00Z"}',
      '{"external_id":"b-8","title":"T","severity":"LOW","created_at":"2026-01-02","resolved_at":"2026-01-01"}',
      '{"external_id":"b-9","title":"T","severity":"LOW","created_at":"2026-01-02","escalation_level":-1}',
      '{"external_id":"b-10","title":"T","severity":"LOW","created_at":"2026-01-02","reopen_count":1.5}',
      '{"external_id":"b-11","title":"T","severity":"LOW","created_at":"2026-01-02","affected_users":NaN}',
      '{"external_id":"b-12","title":"T","severity":"LOW","created_at":"2026-01-02","tags":"a;b"}',
      '{"external_id":"b-13","title":"T","severity":"LOW","created_at":"2026-01-02","tags":["a",1]}',
      `{"external_id":"b-14","title":"${'x'.repeat(501)}","severity":"LOW","created_at":"2026-01-02"}`,
      '{"external_id":"b-15","title":"T","severity":"LOW","created_at":"2026-01-02","id":"not-a-uuid"}',
      '{"external_id":"b-16","title":"  ","severity":"LOW","created_at":"2026-01-02"}',
    ];
    for (const [i, line] of bad.entries()) {
      // Each bad line alone after a good one, then all of them in one file.
      const text = `${JSON.stringify({ ...good, external_id: `b${i}-0` })}\n\n${line.replace('"b-', `"b${i}-`)}\n`;
      expect(await agree(text, `b${i}-`), `line ${i}`).toBe(false);
    }
    expect(await agree(`${JSON.stringify(good)}\n${bad.join('\n')}\n`, 'b-')).toBe(false);
    const errors = (await outcome(() =>
      engines.sql.incidents.ingest({ path: write(`${bad.join('\n')}\n`) }),
    )) as {
      details: { errors: { row: number; line: number; field: string }[] };
    };
    // Every bad line is reported (some with several problems), each with its row and line.
    expect(new Set(errors.details.errors.map((e) => e.line)).size).toBe(bad.length);
    const extra = bad.findIndex((line) => line.includes('"extra"')) + 1;
    expect(errors.details.errors).toContainEqual(
      expect.objectContaining({ row: extra, line: extra, field: 'extra' }),
    );
  });

  it('reads tags as the JS path does on both sides of the 104-byte arrays one pattern checks', async () => {
    // [tags, taken by the SQL path]: worked by hand from the rules (at most 50 strings of at most 100
    // bytes, each empty or without spaces at its ends).
    const cases: [unknown[], boolean][] = [
      [['x'.repeat(100)], true],
      [['x'.repeat(101)], false],
      [['x'.repeat(99), ''], true],
      [Array.from({ length: 50 }, () => 'a'), true],
      [Array.from({ length: 51 }, () => 'a'), false],
      [['', ''], true],
      [['a b', 'c'], true],
      [['say "hi"', 'back\\slash'], true],
      [['aéb', 'x'], true],
      [['é'], false],
      [[' a'], false],
      [['a', 1], false],
    ];
    for (const [i, [tags, taken]] of cases.entries()) {
      const line = { external_id: `g${i}-1`, title: 'T', severity: 'LOW', created_at: '2026-01-02', tags };
      expect(await agree(`${JSON.stringify(line)}\n`, `g${i}-`), JSON.stringify(tags)).toBe(taken);
    }
  });

  it('leaves to the JS path what it accepts but SQL does not express, with the same values', async () => {
    const base = { title: 'T', severity: 'LOW', created_at: '2026-01-02T03:04:05Z' };
    const awkward = [
      { ...base, external_id: 'w-1', created_at: '2026-01-02T03:04:05+02:00' },
      { ...base, external_id: 'w-2', escalation_level: 2.0, title: ' padded ' },
      { ...base, external_id: 'w-3', affected_users: 1e3, created_at: '2026-01-02T03:04:05.123456Z' },
      { ...base, external_id: 'w-4', tags: [' spaced '], title: 'ünï' },
    ];
    for (const record of awkward) expect(await agree(lines(record), record.external_id)).toBe(false);
    // A key given twice: DuckDB refuses the line, `JSON.parse` keeps the last value.
    const twice =
      '{"external_id":"w-6","title":"T","severity":"LOW","created_at":"2026-01-02","title":"Twice"}\n';
    expect(await agree(twice, 'w-6')).toBe(false);
    expect(await stored(engines.sql, 'w-6')).toMatchObject([{ title: 'Twice' }]);
    // A byte order mark: DuckDB refuses it, the JS path skips it.
    expect(await agree(`\ufeff${lines({ ...base, external_id: 'w-5' })}`, 'w-5')).toBe(false);
  });

  it('finds trailing commas across chunk boundaries, and nothing in a strict file', async () => {
    const strict = write('{"a":[1, 2],"b":{"c":"}"}}\n');
    const trailing = write('{"a":[1, 2,\t ],"b":1}\n');
    const split = write('{"a":1,    }\n');
    expect(await hasStrictJsonSyntax(strict, 4)).toBe(true);
    expect(await hasStrictJsonSyntax(trailing, 4)).toBe(false);
    // The comma and the brace in different 8-byte chunks.
    expect(await hasStrictJsonSyntax(split, 8)).toBe(false);
  });

  it('accepts or refuses awkward lines exactly as the JS path does, with the same values', async () => {
    const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
    const weighted = <T>(plain: readonly T[], awkward: readonly T[]) =>
      fc.oneof({ weight: 12, arbitrary: pick(plain) }, { weight: 1, arbitrary: pick(awkward) });
    const absent = undefined;
    const record = fc.record({
      title: weighted<unknown>(
        ['Disk full', 'a, b', 'say "hi"', 'x'],
        [' padded ', 'tab\tin', 'ünï', '', null, 5],
      ),
      severity: weighted<unknown>(['LOW', 'HIGH'], ['low', '', 'SEVERE', null, absent]),
      created_at: weighted<unknown>(
        ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.123Z', '2026-01-02T03:04:05', '2026-01-02'],
        [
          '2026-01-02T03:04:05+02:00',
          '2026-02-30T00:00:00Z',
          '1969-12-31T23:59:59Z',
          '2026-01-02 03:04:05',
          0,
        ],
      ),
      resolved_at: weighted<unknown>([absent, null, '2026-01-03T00:00:00Z'], ['2026-01-01T00:00:00Z', 'x']),
      escalation_level: weighted<unknown>(
        [absent, 0, 3, '4'],
        [-1, 1.5, '007', 99999999999, 2147483648, 2147483647, ' 4', true],
      ),
      tags: weighted<unknown>(
        [absent, ['a', 'b'], []],
        [
          [' a '],
          ['x'.repeat(101)],
          'a;b',
          [null],
          [1],
          // About the 104-byte array the one-pattern check reads, and strings it leaves to the lambdas.
          ['x'.repeat(100)],
          ['x'.repeat(99), ''],
          Array.from({ length: 50 }, () => 'a'),
          Array.from({ length: 51 }, () => 'a'),
          ['', ''],
          ['a b', 'c'],
          ['say "hi"'],
          ['back\\slash'],
          ['é'],
          ['tab\tin'],
        ],
      ),
      status: weighted<unknown>([absent, 'OPEN', 'CLOSED'], ['open', 'DONE', null]),
      id: weighted<unknown>(
        [absent],
        ['a1b2c3d4-0000-4000-8000-00000000000a', 'A1B2C3D4-0000-4000-8000-00000000000B', 'x'],
      ),
      extra: weighted<unknown>([absent], [1]),
    });
    const file = fc.record({
      records: fc.array(record, { minLength: 1, maxLength: 5 }),
      duplicate: fc.boolean(),
      lineEnd: weighted(['\n', '\r\n'], ['\n\n']),
    });
    let sqlTook = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(file, async (f) => {
        const prefix = `k${runs++}-`;
        const text = f.records
          .map((r, i) => {
            const withIds = { external_id: `${prefix}${f.duplicate ? 0 : i}`, ...r };
            // A given id must name one incident only: make each file's ids its own.
            if (typeof withIds.id === 'string' && withIds.id.length === 36) {
              withIds.id = `${withIds.id.slice(0, 24)}${String(runs).padStart(4, '0')}${withIds.id.slice(28)}`;
            }
            return JSON.stringify(withIds);
          })
          .join(f.lineEnd);
        if (await agree(text, prefix)) sqlTook++;
      }),
      { seed: 14, numRuns: 30 },
    );
    // The property means something only if the SQL path took a good share of the files.
    expect(sqlTook).toBeGreaterThan(5);
  });
});

describe('NDJSON read key by key', () => {
  // DuckDB's `read_json` finds a file's keys in a sample of its first lines (20,480 by default).
  const past = 20_500;
  const base = { title: 'T', severity: 'LOW', created_at: '2026-01-02' };
  /** `past` plain lines under `prefix`, then `last` (a line of text). */
  const longFile = (prefix: string, last: string) => {
    const plain = Array.from({ length: past }, (_, i) =>
      JSON.stringify({ external_id: `${prefix}${i}`, ...base }),
    );
    return `${plain.join('\n')}\n${last}\n`;
  };
  const keysOf = async (text: string, reshape: Reshape = {}) => {
    const positions = await sampledKeys(
      internalContext(engines.sql),
      write(text),
      ndjsonAllowedKeys(reshape.columnMapping, reshape.ignoreColumns),
    );
    return positions && [...positions.keys()];
  };

  it('reads by the keys of the sample when each is one a line may hold, else as maps', async () => {
    const line = (record: object) => `${JSON.stringify(record)}\n`;
    expect(await keysOf(line({ external_id: 'x', ...base }))).toEqual([
      'external_id',
      'title',
      'severity',
      'created_at',
    ]);
    // A key no line may hold, and two keys DuckDB tells apart only by renaming one (`Title_1`).
    expect(await keysOf(line({ external_id: 'x', ...base, extra: 1 }))).toBeUndefined();
    expect(
      await keysOf(
        `${line({ external_id: 'x', ...base })}${line({ external_id: 'y', ...base, Title: 'T' })}`,
      ),
    ).toBeUndefined();
    expect(await keysOf(line({ ref: 'x', ...base }), { columnMapping: { external_id: 'ref' } })).toEqual([
      'ref',
      'title',
      'severity',
      'created_at',
    ]);
    expect(await keysOf('not json\n')).toBeUndefined();
  });

  it('takes a file whose allowed key first shows after the sample, as the JS path does', async () => {
    const text = longFile(
      'late-',
      JSON.stringify({ external_id: 'late-z', ...base, tags: ['a'], priority: 'P2' }),
    );
    expect(await keysOf(text)).not.toContain('tags');
    expect(await agree(text, 'late-')).toBe(true);
    expect(await stored(engines.sql, 'late-z')).toMatchObject([{ tags: ['a'], priority: 'P2' }]);
  });

  it('refuses a key no line may hold after the sample, every column of the file read', async () => {
    const last = JSON.stringify({ external_id: 'unk-z', ...base, extra: 1 });
    expect(await agree(longFile('unk-', last), 'unk-')).toBe(false);
    // The file's `title` is not read (`title` comes from `summary`): its column must still be read,
    // or DuckDB would not look for keys beyond its columns.
    const mapped = longFile('unm-', JSON.stringify({ external_id: 'unm-z', ...base, extra: 1 })).replaceAll(
      '"severity"',
      '"summary":"S","severity"',
    );
    expect(await keysOf(mapped, { columnMapping: { title: 'summary' } })).toContain('title');
    expect(await agree(mapped, 'unm-', { columnMapping: { title: 'summary' } })).toBe(false);
  });

  it('refuses a NaN under a key no field reads, as JSON.parse does', async () => {
    const nan =
      '{"external_id":"nan-1","title":NaN,"summary":"S","severity":"LOW","created_at":"2026-01-02"}\n';
    expect(await agree(nan, 'nan-', { columnMapping: { title: 'summary' } })).toBe(false);
  });
});
