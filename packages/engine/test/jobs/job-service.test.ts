import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, type Engine, EngineError, jobError, openEngine } from '../../src/index.ts';

// Submitting, validating, permissions, deduplication and cancellation of queued jobs, through the
// public `engine.jobs` (no runner started, so submitted jobs stay QUEUED).
const now = new Date('2024-03-01T12:00:00Z');
const viewer: Actor = { userId: '00000000-0000-4000-8000-000000000001', username: 'vera', roles: ['viewer'] };
const analyst: Actor = {
  userId: '00000000-0000-4000-8000-000000000002',
  username: 'ana',
  roles: ['analyst'],
};
let engine: Engine;

beforeEach(async () => {
  engine = await openEngine({ path: ':memory:', now: () => now, workers: { threads: 1 } });
});
afterEach(() => engine.close());

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('engine.jobs.submit', () => {
  it('lists the kinds of the modules with the action each needs', () => {
    expect(engine.jobs.kinds().map((k) => [k.kind, k.action])).toEqual([
      ['analyze_recurrence', 'analyses.write'],
      ['run_anomaly_detection', 'analyses.write'],
      ['calculate_kpis', 'analyses.write'],
      ['train_predictive_models', 'analyses.write'],
      ['score_incidents', 'analyses.write'],
      ['generate_insights', 'analyses.write'],
      ['cleanup', 'analyses.write'],
      ['calculate_costs', 'analyses.write'],
      ['refresh_heatmaps', 'analyses.write'],
      ['deliver_webhooks', 'webhooks.manage'],
    ]);
  });

  it('queues a job with its parameters, scope and who asked', async () => {
    const { job, deduplicated } = await engine
      .as(analyst)
      .jobs.submit({ kind: 'calculate_kpis', parameters: { time_window: 24, end: '2024-02-01' } });
    expect(deduplicated).toBe(false);
    expect(job).toMatchObject({
      kind: 'calculate_kpis',
      scope: 'metric=all;window=24;end=2024-02-01T00:00:00.000Z;force=false',
      parameters: { time_window: 24, end: '2024-02-01' },
      status: 'QUEUED',
      attempts: 0,
      max_attempts: 3,
      cancel_requested: false,
      created_at: now,
      run_after: now,
      started_at: null,
      result: null,
      error: null,
      requested_by: analyst.userId,
      requested_by_username: 'ana',
      schedule: null,
    });
    expect(await engine.jobs.get(job.id)).toEqual(job);
  });

  it('refuses an unknown kind, naming the kinds it accepts, and stores nothing', async () => {
    const error = await rejection(engine.jobs.submit({ kind: 'calculate_everything' }));
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details).toEqual({
      field: 'kind',
      accepted: [
        'analyze_recurrence',
        'run_anomaly_detection',
        'calculate_kpis',
        'train_predictive_models',
        'score_incidents',
        'generate_insights',
        'cleanup',
        'calculate_costs',
        'refresh_heatmaps',
        'deliver_webhooks',
      ],
    });
    expect((await engine.jobs.list()).count).toBe(0);
  });

  it('refuses bad parameters with field errors named as in the JSON', async () => {
    const error = await rejection(
      engine.jobs.submit({
        kind: 'calculate_kpis',
        parameters: { metric_id: 7, time_window: 1.5, end: '2024-02-30', colour: 'red' },
      }),
    );
    expect(error.code).toBe('VALIDATION_ERROR');
    const fields = (error.details as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual([
      'parameters.colour',
      'parameters.end',
      'parameters.metric_id',
      'parameters.time_window',
    ]);
    expect((await engine.jobs.list()).count).toBe(0);
  });

  it('refuses a viewer with FORBIDDEN, and lets the viewer read jobs', async () => {
    const error = await rejection(engine.as(viewer).jobs.submit({ kind: 'analyze_recurrence' }));
    expect(error.code).toBe('FORBIDDEN');
    expect((await engine.jobs.list()).count).toBe(0);
    const { job } = await engine.jobs.submit({ kind: 'analyze_recurrence' });
    expect((await engine.as(viewer).jobs.get(job.id)).id).toBe(job.id);
    expect((await rejection(engine.as(viewer).jobs.cancel(job.id))).code).toBe('FORBIDDEN');
    expect((await rejection(engine.as(viewer).jobs.run({ kind: 'analyze_recurrence' }))).code).toBe(
      'FORBIDDEN',
    );
    expect((await engine.jobs.get(job.id)).status).toBe('QUEUED');
  });
});

describe('deduplication', () => {
  it('answers an equal request with the queued job, and a different scope with a new one', async () => {
    const first = await engine.jobs.submit({
      kind: 'calculate_kpis',
      parameters: { end: '2024-02-01T00:00' },
    });
    // The same instant written another way is the same scope.
    const same = await engine.jobs.submit({
      kind: 'calculate_kpis',
      parameters: { end: '2024-02-01T00:00:00Z' },
    });
    expect(same).toEqual({ job: first.job, deduplicated: true });
    const other = await engine.jobs.submit({ kind: 'calculate_kpis', parameters: { end: '2024-02-02' } });
    expect(other.deduplicated).toBe(false);
    expect((await engine.jobs.list({ filters: { kind: 'calculate_kpis' } })).count).toBe(2);
  });

  it('queues a new job once the earlier one is final', async () => {
    const first = await engine.jobs.submit({ kind: 'analyze_recurrence' });
    await engine.jobs.cancel(first.job.id);
    const next = await engine.jobs.submit({ kind: 'analyze_recurrence' });
    expect(next.deduplicated).toBe(false);
    expect(next.job.id).not.toBe(first.job.id);
  });
});

describe('cancelling a queued job', () => {
  it('cancels it at once, and refuses to cancel it again with CONFLICT', async () => {
    const { job } = await engine.jobs.submit({ kind: 'analyze_recurrence' });
    const cancelled = await engine.as(analyst).jobs.cancel(job.id);
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      cancel_requested: true,
      finished_at: now,
      attempts: 0,
    });
    expect((await engine.jobs.wait(job.id)).status).toBe('CANCELLED');
    const again = await rejection(engine.jobs.cancel(job.id));
    expect(again.code).toBe('CONFLICT');
    expect((await rejection(engine.jobs.cancel('00000000-0000-4000-8000-00000000ffff'))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('lists jobs newest first, filtered by status, and refuses an unknown status', async () => {
    const a = await engine.jobs.submit({ kind: 'analyze_recurrence' });
    const b = await engine.jobs.submit({ kind: 'calculate_kpis' });
    await engine.jobs.cancel(a.job.id);
    expect((await engine.jobs.list({ filters: { status: 'QUEUED' } })).results.map((j) => j.id)).toEqual([
      b.job.id,
    ]);
    expect((await engine.jobs.list({ filters: { status: 'CANCELLED' } })).results.map((j) => j.id)).toEqual([
      a.job.id,
    ]);
    const error = await rejection(engine.jobs.list({ filters: { status: 'DONE' as 'QUEUED' } }));
    expect(error.code).toBe('VALIDATION_ERROR');
  });
});

describe('run() of a request that fails', () => {
  it('resolves with the FAILED job at once for a final error, and jobError rebuilds the error', async () => {
    const job = await engine.jobs.run({
      kind: 'calculate_kpis',
      parameters: { metric_id: 'no-such-metric' },
    });
    expect(job.status).toBe('FAILED');
    expect(job.attempts).toBe(1); // NOT_FOUND is final: no retry
    const direct = await rejection(engine.kpis.calculate('no-such-metric'));
    const rebuilt = jobError(job);
    expect([rebuilt.code, rebuilt.message, rebuilt.details]).toEqual([
      direct.code,
      direct.message,
      direct.details,
    ]);
  });
});
