import { describe, expect, it } from 'vitest';
import type { Engine, IngestProgress, IngestSource } from '../../src/index.ts';
import { ingestInJs } from '../../src/ingest/ingest.ts';
import { internalContext } from '../../src/internal.ts';
import { outcome, storedRows, twinEngines } from './twin-engines.ts';

// Two engines on one pinned clock: `sql` takes every body through `incidents.ingest` (the HTTP bulk
// route's call), `js` the same body through the JS reading path, the reference.
let clock = new Date('2026-06-01T00:00:00Z');
const engines = twinEngines(() => clock);

/**
 * `count` NDJSON lines with external ids `${prefix}${i}` (tags, counts as numbers and as digit
 * strings, optional timestamps left out on some lines). More than one reader batch (8,192 rows), so
 * a body read by the JS path shows as two `reading` reports, one staged in SQL as one.
 */
function body(count: number, prefix: string, title = (i: number) => `Disk full ${i}`): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = Date.UTC(2026, 0, 1) + i * 60_000;
    lines.push(
      JSON.stringify({
        external_id: `${prefix}${i}`,
        title: title(i),
        severity: ['LOW', 'HIGH'][i % 2],
        service: 'api',
        created_at: new Date(created).toISOString(),
        ...(i % 3 === 0 ? {} : { resolved_at: new Date(created + 3_600_000).toISOString() }),
        escalation_level: i % 2 === 0 ? i % 4 : String(i % 4),
        tags: i % 5 === 0 ? [] : ['disk', `host-${i % 7}`],
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Ingests `source` into `engine` by its public call, returning the outcome and the `reading` reports. */
async function ingest(engine: Engine, source: IngestSource) {
  const reading: number[] = [];
  const onProgress = (p: IngestProgress) => p.phase === 'reading' && reading.push(p.received);
  const result = await outcome(() => engine.incidents.ingest(source, { onProgress }));
  return { result, reading };
}

/** The JS path's outcome for the same source, the reference. */
function reference(source: IngestSource) {
  return outcome(() => ingestInJs(internalContext(engines.js), source));
}

describe('An NDJSON body in memory (the HTTP bulk upload)', () => {
  it('is read, checked and staged in DuckDB like a file, and stores what the JS path stores', async () => {
    const text = body(9000, 'T-');
    const { result, reading } = await ingest(engines.sql, { data: text, format: 'ndjson' });
    // One report: every row was staged in SQL (the JS path reports after each 8,192-row batch).
    expect(reading).toEqual([9000]);
    expect(result).toEqual({
      ok: { received: 9000, inserted: 9000, updated: 0, skipped: 0, errors: [] },
    });
    expect(await reference({ data: text, format: 'ndjson' })).toEqual(result);
    expect(await storedRows(engines.sql, 'T-')).toEqual(await storedRows(engines.js, 'T-'));

    const bytes = new TextEncoder().encode(body(9000, 'B-'));
    expect((await ingest(engines.sql, { data: bytes, format: 'ndjson' })).reading).toEqual([9000]);
    await reference({ data: bytes, format: 'ndjson' });
    expect(await storedRows(engines.sql, 'B-')).toEqual(await storedRows(engines.js, 'B-'));
  });

  it('upserts stored rows by external id with the same counts and rows as the JS path', async () => {
    clock = new Date('2026-06-01T00:00:00Z');
    const first = body(9000, 'U-');
    await ingest(engines.sql, { data: first, format: 'ndjson' });
    await reference({ data: first, format: 'ndjson' });
    // One hour later: the 9,000 stored (every other title changed) and 10 new ones.
    clock = new Date('2026-06-01T01:00:00Z');
    const again = body(9010, 'U-', (i) => (i % 2 === 0 ? `Disk full ${i}` : `Disk still full ${i}`));
    const { result, reading } = await ingest(engines.sql, { data: again, format: 'ndjson' });
    expect(reading).toEqual([9010]);
    expect(result).toEqual({
      ok: { received: 9010, inserted: 10, updated: 9000, skipped: 0, errors: [] },
    });
    expect(await reference({ data: again, format: 'ndjson' })).toEqual(result);
    expect(await storedRows(engines.sql, 'U-')).toEqual(await storedRows(engines.js, 'U-'));
  });

  it('gives a bad body the JS path’s answer, row errors included, and writes nothing', async () => {
    const good = body(9000, 'X-').split('\n');
    const bad = [
      // A severity that is not one: a row error (row 4).
      good.map((line, i) => (i === 3 ? line.replace('"HIGH"', '"SEVERE"') : line)).join('\n'),
      // A line that is not JSON and one without its title (rows 5 and 8,001).
      good
        .map((line, i) =>
          i === 4 ? '{"external_id": "X-4",' : i === 8000 ? line.replace(/"title":"[^"]*",/, '') : line,
        )
        .join('\n'),
      // A trailing comma, which DuckDB reads and JSON.parse refuses.
      good.map((line, i) => (i === 7 ? `${line.slice(0, -1)},}` : line)).join('\n'),
    ];
    const before = await engines.sql.incidents.count();
    const badRows = [[4], [5, 8001], [8]];
    for (const [i, text] of bad.entries()) {
      const { result } = await ingest(engines.sql, { data: text, format: 'ndjson' });
      const errors = (result as { details?: { errors?: { row: number }[] } }).details?.errors ?? [];
      expect([result, errors.map((e) => e.row)]).toMatchObject([{ code: 'VALIDATION_ERROR' }, badRows[i]]);
      expect(await reference({ data: text, format: 'ndjson' })).toEqual(result);
    }
    expect(await engines.sql.incidents.count()).toBe(before);
    // With skipInvalid the good rows are written; the answer is still the JS path's.
    const skipping = await outcome(() =>
      engines.sql.incidents.ingest({ data: bad[1]!, format: 'ndjson' }, { skipInvalid: true }),
    );
    const expected = await outcome(() =>
      ingestInJs(internalContext(engines.js), { data: bad[1]!, format: 'ndjson' }, { skipInvalid: true }),
    );
    expect(skipping).toEqual(expected);
    expect(skipping).toMatchObject({ ok: { received: 9000, inserted: 8998, skipped: 2 } });
  });

  it('leaves bytes that are not UTF-8 to the JS path, which reads them as it always did', async () => {
    const text = body(9000, 'N-');
    const bytes = new TextEncoder().encode(text);
    bytes[text.indexOf('Disk full 5"') + 4] = 0xff; // the space of "Disk full 5": no UTF-8 text has it
    const { result, reading } = await ingest(engines.sql, { data: bytes, format: 'ndjson' });
    expect(reading).toEqual([8192, 9000]);
    expect(result).toMatchObject({ ok: { received: 9000, inserted: 9000 } });
    const [row] = (await internalContext(engines.sql).db.all(
      `SELECT title FROM incidents WHERE external_id = 'N-5'`,
    )) as { title: string }[];
    // TextDecoder's replacement character, as the JS path has always stored such a byte.
    expect(row?.title).toBe('Disk\ufffdfull 5');
  });
});
