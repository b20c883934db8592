import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, EngineError, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const metric = '22222222-2222-4222-8222-222222222222';

/**
 * Now is 2024-06-01 00:00 UTC. Insights expiring at: 1 April, 1 May 23:59, 2 May 00:01, never, 31
 * May. KPI measurements whose period ends: 1 February, 2 March 23:00, 4 March, 31 May.
 */
async function stocked(): Promise<Engine> {
  const opened = await openEngine({
    path: ':memory:',
    now: () => new Date('2024-06-01T00:00:00Z'),
    workers: { threads: 1 },
  });
  engine = opened;
  const db = internalContext(opened).db;
  const expiries = [
    '2024-04-01 00:00:00',
    '2024-05-01 23:59:00',
    '2024-05-02 00:01:00',
    null,
    '2024-05-31 00:00:00',
  ];
  for (const [i, expires] of expiries.entries()) {
    await db.run(
      `INSERT INTO predictive_insights (id, insight_type, title, confidence_level, confidence_score, predicted_at,
         expires_at, created_at)
       VALUES (uuid(), 'INCIDENT_FORECAST', $title, 'LOW', 0.1, TIMESTAMP '2024-01-01', $expires::TIMESTAMP, TIMESTAMP '2024-01-01')`,
      { title: `insight ${i}`, expires },
    );
  }
  for (const [i, end] of [
    '2024-02-01 00:00:00',
    '2024-03-02 23:00:00',
    '2024-03-04 00:00:00',
    '2024-05-31 00:00:00',
  ].entries()) {
    await db.run(
      `INSERT INTO kpi_measurements (id, metric_id, value, unit, period_start, period_end, incident_count, sample_count,
         calculated_at)
       VALUES (uuid(), $metric::UUID, $value, 'minutes', $end::TIMESTAMP - INTERVAL 1 HOUR, $end::TIMESTAMP, 0, 0, $end::TIMESTAMP)`,
      { metric, value: i, end },
    );
  }
  return opened;
}

async function remaining(e: Engine): Promise<{ insights: string[]; measurements: number[] }> {
  const db = internalContext(e).db;
  const insights = await db.all('SELECT title FROM predictive_insights ORDER BY title');
  const measurements = await db.all('SELECT value FROM kpi_measurements ORDER BY value');
  return {
    insights: insights.map((r) => String(r['title'])),
    measurements: measurements.map((r) => Number(r['value'])),
  };
}

describe('cleanup', () => {
  it('deletes exactly the insights expired more than N days ago and the measurements older than M days', async () => {
    const e = await stocked();
    // 30 days before 1 June is 2 May 00:00: the first two insights expired before it.
    // 90 days before 1 June is 3 March 00:00: the first two measurements ended before it.
    expect(await e.insights.cleanup({ expiredInsightsDays: 30, measurementsOlderThanDays: 90 })).toEqual({
      insights_deleted: 2,
      measurements_deleted: 2,
      jobs_deleted: 0,
    });
    expect(await remaining(e)).toEqual({
      insights: ['insight 2', 'insight 3', 'insight 4'],
      measurements: [2, 3],
    });
    expect(await e.insights.cleanup({ expiredInsightsDays: 30, measurementsOlderThanDays: 90 })).toEqual({
      insights_deleted: 0,
      measurements_deleted: 0,
      jobs_deleted: 0,
    });
  });

  it('keeps 30 days of expired insights and 365 days of measurements by default', async () => {
    const e = await stocked();
    expect(await e.insights.cleanup({})).toEqual({
      insights_deleted: 2,
      measurements_deleted: 0,
      jobs_deleted: 0,
    });
  });

  it("deletes job records finished more than N days ago, keeping live jobs and each schedule's last", async () => {
    const e = await stocked();
    const db = internalContext(e).db;
    // Now is 1 June. Finished 40 days ago: a SUCCEEDED, a FAILED, and a CANCELLED one that is a
    // schedule's last job; finished 10 days ago: one SUCCEEDED; created 100 days ago and never
    // run: one QUEUED. With 30 days kept, the first two go.
    const jobs: [string, string, string | null][] = [
      ['old succeeded', 'SUCCEEDED', '2024-04-22 00:00:00'],
      ['old failed', 'FAILED', '2024-04-22 00:00:00'],
      ['schedule last', 'CANCELLED', '2024-04-22 00:00:00'],
      ['recent', 'SUCCEEDED', '2024-05-22 00:00:00'],
      ['queued', 'QUEUED', null],
    ];
    for (const [scope, status, finished] of jobs) {
      await db.run(
        `INSERT INTO jobs (id, kind, scope, parameters, status, max_attempts, created_at, run_after, finished_at,
           requested_by_username)
         VALUES (uuid(), 'cleanup', $scope, '{}', $status, 3, TIMESTAMP '2024-02-22', TIMESTAMP '2024-02-22',
           $finished::TIMESTAMP, 'system')`,
        { scope, status, finished },
      );
    }
    await db.run(
      `INSERT INTO job_schedules (name, kind, last_slot_at, last_run_at, last_job_id)
       SELECT 'cleanup', 'cleanup', finished_at, finished_at, id::VARCHAR FROM jobs WHERE scope = 'schedule last'`,
    );
    expect(await e.insights.cleanup({})).toMatchObject({ jobs_deleted: 2 });
    const left = await db.all('SELECT scope FROM jobs ORDER BY scope');
    expect(left.map((r) => r['scope'])).toEqual(['queued', 'recent', 'schedule last']);
    expect(await e.insights.cleanup({ finishedJobsOlderThanDays: 5 })).toMatchObject({ jobs_deleted: 1 });
  });

  it('refuses a bad day count and deletes nothing', async () => {
    const e = await stocked();
    for (const bad of [
      { expiredInsightsDays: 0 },
      { measurementsOlderThanDays: 1.5 },
      { finishedJobsOlderThanDays: 0 },
      { expiredInsightsDays: 40_000 },
    ]) {
      const error = await e.insights.cleanup(bad).catch((x: unknown) => x);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('VALIDATION_ERROR');
    }
    expect(await remaining(e)).toEqual({
      insights: ['insight 0', 'insight 1', 'insight 2', 'insight 3', 'insight 4'],
      measurements: [0, 1, 2, 3],
    });
  });

  it('lets a viewer read insights but not clean up or acknowledge', async () => {
    const e = await stocked();
    const viewer = e.as({ userId: null, username: 'viewer', roles: ['viewer'] });
    expect((await viewer.insights.summary()).total_insights).toBe(5);
    for (const refused of [viewer.insights.cleanup({}), viewer.insights.acknowledge(metric, null)]) {
      const error = await refused.catch((x: unknown) => x);
      expect((error as EngineError).code).toBe('FORBIDDEN');
    }
    expect((await remaining(e)).insights).toHaveLength(5);
  });

  it('runs as the cleanup job with the spec-style parameters, and refuses bad ones before queuing', async () => {
    const e = await stocked();
    const job = await e.jobs.run({
      kind: 'cleanup',
      parameters: { expired_insights_days: 60, measurements_older_than_days: 100 },
    });
    // 60 days before 1 June is 2 April 00:00: only the 1 April insight; 100 days is 22 February: only the 1 February measurement.
    expect([job.status, job.result]).toEqual([
      'SUCCEEDED',
      { insights_deleted: 1, measurements_deleted: 1, jobs_deleted: 0 },
    ]);
    const error = await e.jobs
      .submit({ kind: 'cleanup', parameters: { expired_insights_days: 0 } })
      .catch((x: unknown) => x);
    expect((error as EngineError).code).toBe('VALIDATION_ERROR');
  });

  it('runs generate_insights as a job: with no serving model it validates and creates nothing', async () => {
    const e = await stocked();
    const job = await e.jobs.run({ kind: 'generate_insights', parameters: {} });
    expect([job.status, job.result]).toEqual([
      'SUCCEEDED',
      { created: 0, validated: 0, by_type: {}, updated: 0, models: 0, notes: [] },
    ]);
    const error = await e.jobs
      .submit({ kind: 'generate_insights', parameters: { model_id: 'x' } })
      .catch((x: unknown) => x);
    expect((error as EngineError).code).toBe('VALIDATION_ERROR');
  });
});
