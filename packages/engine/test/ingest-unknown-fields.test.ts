import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, type IngestSource, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'insights-ingest-unknown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = {
  external_id: 'G1',
  title: 'Disk full',
  severity: 'HIGH' as const,
  created_at: '2024-01-01T10:00:00Z',
};
const accepted =
  'id, external_id, title, description, category, subcategory, severity, priority, status, service, ' +
  'team, created_at, acknowledged_at, resolved_at, closed_at, escalation_level, reopen_count, ' +
  'reassignment_count, affected_users, tags';

async function withEngine(work: (engine: Engine) => Promise<void>) {
  const engine = await openEngine({ path: ':memory:', now: () => new Date('2026-01-01T00:00:00Z') });
  try {
    // Something already stored, which a refused ingest must leave as it is.
    await engine.incidents.ingest({ records: [{ ...good, external_id: 'OLD' }] });
    await work(engine);
  } finally {
    await engine.close();
  }
}

async function refusal(engine: Engine, source: IngestSource): Promise<unknown> {
  return engine.incidents.ingest(source).then(
    () => 'written',
    (e: unknown) => e,
  );
}

describe('records with a field outside the incident schema', () => {
  const misspelt = { ...good, external_id: 'B2', resolution_note: 'rebooted' };

  it('are refused row by row, naming the field and the accepted ones, and nothing is written', async () => {
    await withEngine(async (engine) => {
      const error = await refusal(engine, { records: [good, misspelt] });
      expect(error).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: '1 invalid row, nothing was written',
        details: {
          errors: [{ row: 2, field: 'resolution_note', message: `unknown field (accepted: ${accepted})` }],
        },
      });
      expect(await engine.incidents.count()).toBe(1);
    });
  });

  it('are reported with the schema errors of the same row, and skipped with skipInvalid', async () => {
    await withEngine(async (engine) => {
      const both = { ...misspelt, severity: 'SEVERE', Team: 'ops' } as unknown as IncidentInput; // invalid on purpose
      const report = await engine.incidents.ingest({ records: [good, both] }, { skipInvalid: true });
      expect(report).toMatchObject({ received: 2, inserted: 1, skipped: 1 });
      expect(report.errors.map((e) => [e.row, e.field])).toEqual([
        [2, 'resolution_note'],
        [2, 'Team'],
        [2, 'severity'],
      ]);
      expect(await engine.incidents.count()).toBe(2);
    });
  });

  it('are refused in a JSON array and in NDJSON (with the line), over the same path as objects', async () => {
    await withEngine(async (engine) => {
      const json = await refusal(engine, { data: JSON.stringify([good, misspelt]), format: 'json' });
      expect(json).toMatchObject({ details: { errors: [{ row: 2, field: 'resolution_note' }] } });
      const ndjson = [JSON.stringify(good), '', JSON.stringify(misspelt)].join('\n');
      const lines = await refusal(engine, { data: ndjson, format: 'ndjson' });
      expect(lines).toMatchObject({ details: { errors: [{ row: 2, line: 3, field: 'resolution_note' }] } });
      // A key spelt like a field but in another case is not that field.
      const upper = await refusal(engine, {
        data: JSON.stringify([{ ...good, Severity: 'LOW' }]),
        format: 'json',
      });
      expect(upper).toMatchObject({ details: { errors: [{ row: 1, field: 'Severity' }] } });
      expect(await engine.incidents.count()).toBe(1);
    });
  });

  it('are read when mapped to a field or named among the keys to ignore', async () => {
    await withEngine(async (engine) => {
      const data = JSON.stringify([{ ...misspelt, Summary: 'mapped title', title: undefined }]);
      const report = await engine.incidents.ingest({
        data,
        format: 'json',
        columnMapping: { title: 'Summary' },
        ignoreColumns: ['resolution_note'],
      });
      expect(report).toMatchObject({ inserted: 1, errors: [] });
      const { results } = await engine.incidents.list({});
      expect(results.find((i) => i.external_id === 'B2')?.title).toBe('mapped title');
    });
  });
});

describe('tabular sources with a column that is neither an incident field nor mapped', () => {
  const csv = [
    'external_id,title,severity,created_at,Assigned To,notes',
    'C1,Disk full,HIGH,2024-01-01,ann,x',
  ].join('\n');

  it('are refused before any row, naming the columns and how to go on, and nothing is written', async () => {
    await withEngine(async (engine) => {
      const error = await refusal(engine, { data: csv, format: 'csv' });
      expect(error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { columns: ['Assigned To', 'notes'] },
      });
      expect((error as Error).message).toBe(
        `columns "Assigned To", "notes" are not incident fields (accepted: ${accepted}): map each to an ` +
          'incident field or ignore it by name (CLI: --map field=header, --ignore-column header; HTTP: ' +
          'column_mapping, ignore_columns; library: columnMapping, ignoreColumns)',
      );
      expect(await engine.incidents.count()).toBe(1);
    });
  });

  it('are read when mapped or ignored by name (compared as headers are)', async () => {
    await withEngine(async (engine) => {
      const report = await engine.incidents.ingest({
        data: csv,
        format: 'csv',
        columnMapping: { team: 'Assigned To' },
        ignoreColumns: ['Notes'],
      });
      expect(report).toMatchObject({ inserted: 1 });
      const { results } = await engine.incidents.list({});
      expect(results.find((i) => i.external_id === 'C1')?.team).toBe('ann');
    });
  });

  it('refuse an ignored column that is not there, one both mapped and ignored, and two headers for one field', async () => {
    await withEngine(async (engine) => {
      await expect(
        engine.incidents.ingest({
          data: csv,
          format: 'csv',
          ignoreColumns: ['Assigned To', 'notes', 'gone'],
        }),
      ).rejects.toThrow('column "gone" (to ignore) is not in the source');
      await expect(
        engine.incidents.ingest({
          data: csv,
          format: 'csv',
          columnMapping: { team: 'Assigned To' },
          ignoreColumns: ['assigned to', 'notes'],
        }),
      ).rejects.toThrow('column "assigned to" is both mapped (to team) and ignored');
      const twice = ['title,severity,created_at,Created At', 'Disk full,HIGH,2024-01-01,2024-01-02'].join(
        '\n',
      );
      await expect(engine.incidents.ingest({ data: twice, format: 'csv' })).rejects.toThrow(
        'columns "created_at" and "Created At" both name incident field created_at',
      );
      // Ignoring one of them settles it.
      const report = await engine.incidents.ingest({
        data: twice,
        format: 'csv',
        ignoreColumns: ['Created At'],
      });
      expect(report.inserted).toBe(1);
      expect(await engine.incidents.count()).toBe(2);
    });
  });

  it('are refused in Arrow IPC as in CSV', async () => {
    await withEngine(async (engine) => {
      const table = new Table({
        title: vectorFromArray(['Disk full'], new Utf8()),
        severity: vectorFromArray(['HIGH'], new Utf8()),
        created_at: vectorFromArray(['2024-01-01T10:00:00Z'], new Utf8()),
        owner: vectorFromArray(['ann'], new Utf8()),
      });
      const data = tableToIPC(table, 'stream');
      await expect(engine.incidents.ingest({ data, format: 'arrow' })).rejects.toThrow(
        /^column "owner" is not an incident field/,
      );
      expect(
        await engine.incidents.ingest({ data, format: 'arrow', ignoreColumns: ['owner'] }),
      ).toMatchObject({
        inserted: 1,
      });
    });
  });

  it('are refused in Parquet, and an ignored column leaves the SQL-checked rows as they would be without it', async () => {
    const withExtra = path.join(dir, 'extra.parquet');
    const without = path.join(dir, 'plain.parquet');
    const rows = `SELECT 'P' || i AS external_id, 'Incident ' || i AS title, 'LOW' AS severity,
        TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) HOUR AS created_at, i * 2 AS reopen_count`;
    const copier = await openEngine({ path: ':memory:' });
    await internalContext(copier).db.run(
      `COPY (${rows}, 'x' || i AS legacy_code FROM range(5) t(i)) TO '${withExtra}' (FORMAT parquet)`,
    );
    await internalContext(copier).db.run(
      `COPY (${rows} FROM range(5) t(i)) TO '${without}' (FORMAT parquet)`,
    );
    await copier.close();
    await withEngine(async (engine) => {
      await expect(engine.incidents.ingest({ path: withExtra })).rejects.toThrow(
        /^column "legacy_code" is not an incident field/,
      );
      expect(await engine.incidents.count()).toBe(1);
    });
    const stored = async (source: IngestSource) => {
      const engine = await openEngine({ path: ':memory:', now: () => new Date('2026-01-01T00:00:00Z') });
      try {
        const report = await engine.incidents.ingest(source);
        const { results } = await engine.incidents.list({ ordering: 'created_at' });
        return { report, results: results.map(({ id: _, ...rest }) => rest) };
      } finally {
        await engine.close();
      }
    };
    const a = await stored({ path: withExtra, ignoreColumns: ['legacy_code'] });
    const b = await stored({ path: without });
    expect(a.report).toEqual({ received: 5, inserted: 5, updated: 0, skipped: 0, errors: [] });
    expect(a).toEqual(b);
  });
});

describe('the ServiceNow event log', () => {
  it('is read by its fixed layout, so a column mapping or columns to ignore are refused, not dropped', async () => {
    await withEngine(async (engine) => {
      const log = 'number,opened_at\nINC1,1/3/2016 10:00\n';
      for (const extra of [{ columnMapping: { title: 'number' } }, { ignoreColumns: ['opened_at'] }]) {
        await expect(engine.incidents.ingest({ data: log, format: 'servicenow', ...extra })).rejects.toThrow(
          'the ServiceNow event log is read by its own fixed layout',
        );
      }
      expect(await engine.incidents.count()).toBe(1);
    });
  });
});
