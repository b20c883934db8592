import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

// A process that dies while it runs a job leaves the row RUNNING. DuckDB lets one process hold a
// database file, so whatever is RUNNING when the file opens belongs to a dead process.
const now = new Date('2024-03-01T12:00:00Z');
let dir: string | undefined;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function insertRunning(
  target: Engine,
  id: string,
  kind: string,
  attempts: number,
  cancelRequested = false,
) {
  await internalContext(target).db.run(
    `INSERT INTO jobs (id, kind, scope, parameters, status, attempts, max_attempts, cancel_requested, created_at,
       run_after, started_at, lease_expires_at, requested_by_username)
     VALUES ($id::UUID, $kind, $id, '{}', 'RUNNING', $attempts, 3, $cancel, $at, $at, $at, $lease, 'system')`,
    { id, kind, attempts, cancel: cancelRequested, at: now, lease: new Date(now.getTime() + 3_600_000) },
  );
}

describe('jobs left RUNNING by a process that died', () => {
  it('are re-queued (attempts left) or FAILED with the reason when the file opens again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'insights-jobs-'));
    const path = join(dir, 'insights.duckdb');
    engine = await openEngine({ path, now: () => now, workers: { threads: 1 } });
    const requeued = '00000000-0000-4000-8000-000000000001';
    const exhausted = '00000000-0000-4000-8000-000000000002';
    const unknownKind = '00000000-0000-4000-8000-000000000003';
    const cancelAsked = '00000000-0000-4000-8000-000000000004';
    await insertRunning(engine, requeued, 'calculate_kpis', 1);
    await insertRunning(engine, exhausted, 'analyze_recurrence', 3);
    await insertRunning(engine, unknownKind, 'retired_kind', 1);
    await insertRunning(engine, cancelAsked, 'run_anomaly_detection', 1, true);
    // No close of the runner's jobs: the rows stay RUNNING in the file, as after a SIGKILL.
    await engine.close();

    const later = new Date('2024-03-01T13:00:00Z');
    engine = await openEngine({ path, now: () => later, workers: { threads: 1 } });
    const reason = 'interrupted: the process running it stopped';
    expect(await engine.jobs.get(requeued)).toMatchObject({
      status: 'QUEUED',
      attempts: 1,
      run_after: later,
      finished_at: null,
      error: { code: 'INTERNAL', message: reason },
    });
    expect(await engine.jobs.get(exhausted)).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      finished_at: later,
      error: { code: 'INTERNAL', message: reason, details: null },
    });
    expect(await engine.jobs.get(unknownKind)).toMatchObject({
      status: 'FAILED',
      error: { message: reason },
    });
    expect(await engine.jobs.get(cancelAsked)).toMatchObject({ status: 'CANCELLED', finished_at: later });
    expect((await engine.jobs.list({ filters: { status: 'RUNNING' } })).count).toBe(0);

    // A runner of the new process runs the re-queued job to the end: its second run.
    const runner = engine.jobs.startRunner({ schedules: false, pollMs: 10 });
    expect(await engine.jobs.wait(requeued)).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    await runner.stop();
  });
});
