import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-jobs-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 3: jobs and job_schedules', () => {
  it('adds the job tables to a database of version 1, keeping its incidents', async () => {
    // fixtures/schema-v1.duckdb.gz: written by the release of version 1, incidents INC-1 and INC-2.
    const path = join(dir, 'released-v1.duckdb');
    writeFileSync(
      path,
      gunzipSync(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'schema-v1.duckdb.gz'))),
    );
    const engine = await openEngine({
      path,
      now: () => new Date('2024-03-01T12:00:00Z'),
      workers: { threads: 1 },
    });
    try {
      const page = await engine.incidents.list({ ordering: 'created_at' });
      expect(page.results.map((i) => i.external_id)).toEqual(['INC-1', 'INC-2']);
      const columns = await internalContext(engine).db.all<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM duckdb_columns()
         WHERE table_name IN ('jobs', 'job_schedules') ORDER BY table_name, column_index`,
      );
      const of = (table: string) => columns.filter((c) => c.table_name === table).map((c) => c.column_name);
      expect(of('job_schedules')).toEqual(['name', 'kind', 'last_slot_at', 'last_run_at', 'last_job_id']);
      expect(of('jobs')).toEqual([
        'id',
        'kind',
        'scope',
        'parameters',
        'status',
        'progress_done',
        'progress_total',
        'progress_message',
        'attempts',
        'max_attempts',
        'cancel_requested',
        'created_at',
        'run_after',
        'started_at',
        'finished_at',
        'lease_expires_at',
        'result',
        'error',
        'requested_by',
        'requested_by_username',
        'schedule',
      ]);
      // The new tables work on the old file.
      const { job } = await engine.jobs.submit({ kind: 'analyze_recurrence' });
      expect((await engine.jobs.get(job.id)).status).toBe('QUEUED');
    } finally {
      await engine.close();
    }
  });
});
