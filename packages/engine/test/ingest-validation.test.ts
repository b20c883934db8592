import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EngineError,
  type IncidentInput,
  incidentColumns,
  incidentInputSchema,
  openEngine,
} from '../src/index.ts';
import { fastValidate } from '../src/ingest/fast-validate.ts';
import { CsvSplitter } from '../src/ingest/readers/csv-splitter.ts';

const header = 'external_id,title,severity,created_at,resolved_at';
const good = (i: number) => `E${i},Incident ${i},HIGH,2024-01-0${i}T10:00:00Z,2024-01-0${i}T12:00:00Z`;

async function withEngine(work: (engine: Awaited<ReturnType<typeof openEngine>>) => Promise<void>) {
  const engine = await openEngine({ path: ':memory:', now: () => new Date('2026-01-01T00:00:00Z') });
  try {
    await work(engine);
  } finally {
    await engine.close();
  }
}

describe('a batch with a bad row', () => {
  it('writes nothing and names the row, line and field', async () => {
    await withEngine(async (engine) => {
      await engine.incidents.ingest({
        records: [{ external_id: 'OLD', title: 'kept', severity: 'LOW', created_at: '2023-01-01' }],
      });
      // Row 3 (line 4) has a severity outside LOW..CRITICAL.
      const csv = [header, good(1), good(2), 'E3,Incident 3,SEVERE,2024-01-03T10:00:00Z,', good(4)].join(
        '\n',
      );
      const error = await engine.incidents.ingest({ data: csv, format: 'csv' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { errors: [{ row: 3, line: 4, field: 'severity' }] },
      });
      expect((error as Error).message).toBe('1 invalid row, nothing was written');
      // Nothing of the batch, and what was there before is untouched.
      expect(await engine.incidents.count()).toBe(1);
    });
  });

  it('with skipInvalid writes the good rows and reports the bad ones', async () => {
    await withEngine(async (engine) => {
      const csv = [header, good(1), 'E2,,HIGH,2024-01-02T10:00:00Z,', good(3), 'E4,x,LOW,not a date,'].join(
        '\n',
      );
      const report = await engine.incidents.ingest({ data: csv, format: 'csv' }, { skipInvalid: true });
      expect(report).toMatchObject({ received: 4, inserted: 2, updated: 0, skipped: 2 });
      expect(report.errors).toEqual([
        { row: 2, line: 3, field: 'title', message: expect.any(String) },
        { row: 4, line: 5, field: 'created_at', message: expect.any(String) },
      ]);
      expect(await engine.incidents.count()).toBe(2);
    });
  });

  it('rejects resolved before created', async () => {
    await withEngine(async (engine) => {
      const error = await engine.incidents
        .ingest({
          records: [
            { title: 'ok', severity: 'LOW', created_at: '2024-01-01T10:00:00Z' },
            // 10:00+02:00 is 08:00Z, before the 09:00Z creation.
            {
              title: 'bad',
              severity: 'LOW',
              created_at: '2024-01-01T09:00:00Z',
              resolved_at: '2024-01-01T10:00:00+02:00',
            },
          ],
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { errors: [{ row: 2, field: 'resolved_at', message: 'resolved_at is before created_at' }] },
      });
      expect(await engine.incidents.count()).toBe(0);
    });
  });

  it('reports an NDJSON line that is not JSON by its line, skipping blank lines in the row count', async () => {
    await withEngine(async (engine) => {
      const ndjson = [
        JSON.stringify({ title: 'a', severity: 'LOW', created_at: '2024-01-01' }),
        '',
        '{"title": "b", oops',
        JSON.stringify({ title: 'c', severity: 'LOW', created_at: '2024-01-01' }),
      ].join('\n');
      const error = await engine.incidents
        .ingest({ data: ndjson, format: 'ndjson' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ details: { errors: [{ row: 2, line: 3, field: '(record)' }] } });
      const report = await engine.incidents.ingest({ data: ndjson, format: 'ndjson' }, { skipInvalid: true });
      expect(report).toMatchObject({ received: 3, inserted: 2, skipped: 1 });
    });
  });

  it('refuses malformed CSV quoting with its line, and a record with too many fields', async () => {
    await withEngine(async (engine) => {
      const unclosed = [header, good(1), 'E2,"never closed,HIGH,2024-01-02T10:00:00Z,'].join('\n');
      await expect(engine.incidents.ingest({ data: unclosed, format: 'csv' })).rejects.toThrow(/line 3/);
      const ragged = [header, good(1), `${good(2)},extra`].join('\n');
      const error = await engine.incidents.ingest({ data: ragged, format: 'csv' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ details: { errors: [{ row: 2, line: 3, field: '(record)' }] } });
      expect(await engine.incidents.count()).toBe(0);
    });
  });

  it('keeps the error list bounded but counts every bad row', async () => {
    await withEngine(async (engine) => {
      const records = Array.from(
        { length: 1500 },
        (_, i) =>
          ({ title: `t${i}`, severity: 'NOPE', created_at: '2024-01-01' }) as unknown as IncidentInput, // invalid on purpose
      );
      const error = (await engine.incidents.ingest({ records }).catch((e: unknown) => e)) as EngineError;
      expect(error.message).toMatch(/^1500 invalid rows/);
      expect((error.details as { errors: unknown[] }).errors).toHaveLength(1000);
    });
  });
});

describe('upserts by external id', () => {
  it('keeps the id and ingested_at, overwrites the fields, and lets the last duplicate in a batch win', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const engine = await openEngine({ path: ':memory:', now: () => clock });
    await engine.incidents.ingest({
      records: [{ external_id: 'A', title: 'first', severity: 'LOW', created_at: '2024-01-01' }],
    });
    const before = (await engine.incidents.list({})).results[0]!;
    clock = new Date('2026-01-02T00:00:00Z');
    const report = await engine.incidents.ingest({
      records: [
        { external_id: 'A', title: 'second', severity: 'HIGH', created_at: '2024-01-01' },
        { external_id: 'B', title: 'new', severity: 'LOW', created_at: '2024-01-02' },
        { external_id: 'A', title: 'third', severity: 'CRITICAL', created_at: '2024-01-01' },
      ],
    });
    expect(report).toMatchObject({ received: 3, inserted: 1, updated: 1 });
    const after = await engine.incidents.get(before.id);
    expect(after).toMatchObject({ title: 'third', severity: 'CRITICAL', external_id: 'A' });
    expect(after.ingested_at).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(after.updated_at).toEqual(new Date('2026-01-02T00:00:00Z'));
    expect(await engine.incidents.count()).toBe(2);
    await engine.close();
  });
});

describe('column mapping', () => {
  it('reads fields from the mapped CSV headers and from headers that already match', async () => {
    await withEngine(async (engine) => {
      const csv = [
        'Number,Short Description,Sev,Opened,Created At,Team',
        'INC9,"Printer, 3rd floor",LOW,2024-02-01T08:00:00Z,ignored,ops',
      ].join('\n');
      const report = await engine.incidents.ingest({
        data: csv,
        format: 'csv',
        columnMapping: {
          external_id: 'Number',
          title: 'Short Description',
          severity: 'Sev',
          created_at: 'Opened',
        },
      });
      expect(report.inserted).toBe(1);
      const [incident] = (await engine.incidents.list({})).results;
      expect(incident).toMatchObject({
        external_id: 'INC9',
        title: 'Printer, 3rd floor',
        severity: 'LOW',
        team: 'ops',
        created_at: new Date('2024-02-01T08:00:00Z'),
      });
    });
  });

  it('refuses a mapping to an unknown field or a missing header, writing nothing', async () => {
    await withEngine(async (engine) => {
      const csv = [header, good(1)].join('\n');
      await expect(
        engine.incidents.ingest({ data: csv, format: 'csv', columnMapping: { nonsense: 'title' } }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      await expect(
        engine.incidents.ingest({ data: csv, format: 'csv', columnMapping: { title: 'Headline' } }),
      ).rejects.toThrow(/Headline/);
      expect(await engine.incidents.count()).toBe(0);
    });
  });
});

describe('the fast validator', () => {
  const value = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant(''),
    fc.constant('  padded  '),
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('7', ' 12 ', '1e3', '-1', '2147483648', '3.5'),
    fc.double(),
    fc.bigInt({ min: -2n, max: 5n }),
    fc.constantFrom('LOW', 'HIGH', 'CRITICAL', 'low', 'P1', 'P6', 'OPEN', 'CLOSED', 'RESOLVED'),
    fc.constantFrom(
      '2024-01-01',
      '2024-02-30',
      '2024-01-01T10:00:00Z',
      '2024-01-01T10:00Z',
      '2024-01-01T10:00',
      '2024-01-01T10:00:00.123+05:30',
      '2024-01-01T09:00:00-01:00',
      '2024-01-01 10:00:00',
      '2023-12-31T23:59:59+0100',
    ),
    fc.date({ min: new Date('2023-12-30'), max: new Date('2024-01-03') }),
    fc.constant(new Date(Number.NaN)),
    fc.constant('x'.repeat(201)),
    fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), fc.integer()), { maxLength: 3 }),
    fc.constant(crypto.randomUUID()),
  );
  const fields = [
    'id',
    'external_id',
    'title',
    'description',
    'category',
    'severity',
    'priority',
    'status',
    'team',
    'created_at',
    'acknowledged_at',
    'resolved_at',
    'closed_at',
    'escalation_level',
    'reopen_count',
    'affected_users',
    'tags',
    // Keys ingestion refuses: a near miss, another case, and names every object has.
    'resolution_note',
    'Severity',
    'toString',
    'constructor',
  ];
  const base = { title: 'Title', severity: 'LOW', created_at: '2024-01-01T00:00:00Z' };
  const fieldNames = new Set<string>(incidentColumns.map((c) => c.name));
  /** The reference: the schema's verdict, and no key outside the incident fields. */
  const ingestAccepts = (record: object) =>
    incidentInputSchema.safeParse(record).success && Object.keys(record).every((k) => fieldNames.has(k));

  it('only accepts what the schema accepts, and returns exactly what it returns', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 }), (patch) => {
        const record = { ...base, ...patch };
        const fast = fastValidate(record);
        const schema = incidentInputSchema.safeParse(record);
        if (fast !== undefined) {
          expect(ingestAccepts(record)).toBe(true);
          expect(fast).toEqual(schema.data);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves a record with a key outside the incident fields to the full check, which refuses it', () => {
    const records = [
      { ...base, resolution_note: 'x' },
      { ...base, Severity: 'LOW' },
      // JSON.parse makes `__proto__` an own key, as a JSON or NDJSON source would.
      JSON.parse('{"title":"Title","severity":"LOW","created_at":"2024-01-01T00:00:00Z","__proto__":"x"}'),
    ];
    for (const record of records) {
      expect(incidentInputSchema.safeParse(record).success).toBe(true);
      expect(fastValidate(record)).toBeUndefined();
      expect(ingestAccepts(record)).toBe(false);
    }
  });

  it('accepts the plain valid records (so the fast path is taken)', () => {
    expect(fastValidate(base)).toEqual(incidentInputSchema.parse(base));
    expect(
      fastValidate({ ...base, tags: ['a'], reopen_count: '2', resolved_at: '2024-01-01T01:00:00+01:00' }),
    ).toBeDefined();
  });
});

describe('the CSV splitter', () => {
  it('splits like csv-parse on random CSV with quotes, separators and line breaks, in any chunking', () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ]{0,5}$/),
      fc.stringMatching(/^[a-z,"\n\r ]{0,6}$/).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const csv = fc
      .tuple(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
      )
      .chain(([width, height, eol, trailing]) =>
        fc
          .array(fc.array(cell, { minLength: width, maxLength: width }), {
            minLength: height,
            maxLength: height,
          })
          .map((rows) => rows.map((r) => r.join(',')).join(eol) + (trailing ? eol : '')),
      );
    fc.assert(
      fc.property(csv, fc.array(fc.nat(), { maxLength: 4 }), (text, cuts) => {
        const expected = parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
        const splitter = new CsvSplitter();
        const got: string[][] = [];
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let from = 0;
        for (const p of points) {
          got.push(...splitter.push(text.slice(from, p)).map(([cells]) => cells));
          from = p;
        }
        got.push(...splitter.push(text.slice(from), true).map(([cells]) => cells));
        expect(got).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('numbers records by the line they start on', () => {
    const records = new CsvSplitter().push('a,b\n\n"x\ny",1\nz,2', true);
    expect(records.map(([, line]) => line)).toEqual([1, 3, 5]);
  });
});

describe('sources that cannot be read', () => {
  it('report a missing file, an unknown extension and an empty source clearly', async () => {
    await withEngine(async (engine) => {
      await expect(engine.incidents.ingest({ path: '/nonexistent/incidents.csv' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(engine.incidents.ingest({ path: '/nonexistent/incidents.xlsx' })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
      await expect(engine.incidents.ingest({ data: '{"not": "an array"}', format: 'json' })).rejects.toThrow(
        /array/,
      );
      await expect(engine.incidents.ingest({ data: 'not parquet', format: 'parquet' })).rejects.toMatchObject(
        {
          code: 'VALIDATION_ERROR',
        },
      );
      expect(await engine.incidents.ingest({ records: [] })).toEqual({
        received: 0,
        inserted: 0,
        updated: 0,
        skipped: 0,
        errors: [],
      });
      expect(await engine.incidents.count()).toBe(0);
    });
  });
});
