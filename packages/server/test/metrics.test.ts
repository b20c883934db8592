import { openEngine, type WorkerPoolStats } from '@incident-insights/engine';
import { createApp } from '@incident-insights/server';
import { describe, expect, it } from 'vitest';
import type { JobSource } from '../src/observability/job-metrics.ts';
import { ServerMetrics } from '../src/observability/metrics.ts';

type Statistics = Awaited<ReturnType<JobSource['statistics']>>;

/** A stand-in for the engine: fixed job statistics and worker-pool figures the test can change. */
function source(rows: Statistics, pool: WorkerPoolStats) {
  const asked: (readonly number[] | undefined)[] = [];
  const stub = {
    pool,
    asked,
    workerStats: () => stub.pool,
    jobs: {
      kinds: () => [
        { kind: 'calculate_kpis', description: '', action: 'analyses.write' as const },
        { kind: 'cleanup', description: '', action: 'analyses.write' as const },
      ],
      statistics: async (options?: { readonly durationBuckets?: readonly number[] }) => {
        asked.push(options?.durationBuckets);
        return rows;
      },
    },
  };
  return stub;
}

const idlePool: WorkerPoolStats = { threads: 0, queueSize: 0, utilization: 0, completed: 0 };

describe('job metrics', () => {
  it('turn the engine statistics into gauges, a counter and a cumulative histogram', async () => {
    // Four calculate_kpis runs lasted 0.3, 2, 8 and 65.2 s (sum 75.5); cumulative counts worked by
    // hand over the bounds 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800 and 3600 s.
    const engine = source(
      [
        {
          kind: 'calculate_kpis',
          status: 'SUCCEEDED',
          count: 4,
          durations: { count: 4, sumSeconds: 75.5, atMost: [0, 1, 1, 2, 3, 3, 3, 4, 4, 4, 4, 4] },
        },
        {
          kind: 'calculate_kpis',
          status: 'QUEUED',
          count: 2,
          durations: { count: 0, sumSeconds: 0, atMost: [] },
        },
        {
          kind: 'legacy_kind', // no longer registered, still in the database
          status: 'FAILED',
          count: 1,
          durations: { count: 1, sumSeconds: 0.25, atMost: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
        },
        { kind: 'cleanup', status: 'RUNNING', count: 1, durations: { count: 0, sumSeconds: 0, atMost: [] } },
      ],
      idlePool,
    );
    const lines = (await new ServerMetrics(engine).render()).split('\n');
    expect(engine.asked).toEqual([[0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]]);

    expect(lines).toEqual(
      expect.arrayContaining([
        'insights_jobs_queued{kind="calculate_kpis"} 2',
        'insights_jobs_queued{kind="cleanup"} 0',
        'insights_jobs_queued{kind="legacy_kind"} 0',
        'insights_jobs_running{kind="cleanup"} 1',
        'insights_jobs_running{kind="calculate_kpis"} 0',
        'insights_jobs_finished_total{kind="calculate_kpis",status="SUCCEEDED"} 4',
        'insights_jobs_finished_total{kind="calculate_kpis",status="FAILED"} 0',
        'insights_jobs_finished_total{kind="cleanup",status="CANCELLED"} 0',
        'insights_jobs_finished_total{kind="legacy_kind",status="FAILED"} 1',
      ]),
    );
    const histogram = lines.filter((line) => line.startsWith('insights_job_duration_seconds'));
    expect(histogram.filter((line) => line.includes('calculate_kpis'))).toEqual([
      ...[
        ['0.1', 0],
        ['0.5', 1],
        ['1', 1],
        ['5', 2],
        ['10', 3],
        ['30', 3],
        ['60', 3],
        ['120', 4],
        ['300', 4],
        ['600', 4],
        ['1800', 4],
        ['3600', 4],
        ['+Inf', 4],
      ].map(
        ([le, n]) =>
          `insights_job_duration_seconds_bucket{kind="calculate_kpis",status="SUCCEEDED",le="${le}"} ${n}`,
      ),
      'insights_job_duration_seconds_sum{kind="calculate_kpis",status="SUCCEEDED"} 75.5',
      'insights_job_duration_seconds_count{kind="calculate_kpis",status="SUCCEEDED"} 4',
    ]);
    // Only the kinds and statuses with timed jobs have a histogram: 15 lines each (12 bounds, +Inf, sum, count).
    expect(histogram).toHaveLength(30);
    expect(histogram).toContain('insights_job_duration_seconds_sum{kind="legacy_kind",status="FAILED"} 0.25');
  });

  it('are read again at every scrape', async () => {
    const rows: Statistics = [];
    const engine = source(rows, idlePool);
    const metrics = new ServerMetrics(engine);
    expect((await metrics.render()).split('\n')).toContain('insights_jobs_running{kind="cleanup"} 0');
    rows.push({
      kind: 'cleanup',
      status: 'RUNNING',
      count: 1,
      durations: { count: 0, sumSeconds: 0, atMost: [] },
    });
    expect((await metrics.render()).split('\n')).toContain('insights_jobs_running{kind="cleanup"} 1');
    rows.length = 0;
    expect((await metrics.render()).split('\n')).toContain('insights_jobs_running{kind="cleanup"} 0');
  });
});

describe('worker-pool gauges', () => {
  it('keep their names, now with help text, and read the pool at each scrape', async () => {
    const engine = source([], idlePool);
    const metrics = new ServerMetrics(engine);
    engine.pool = { threads: 2, queueSize: 5, utilization: 0.75, completed: 120 };
    const lines = (await metrics.render()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '# HELP insights_worker_pool_threads Worker threads alive in the kernel pool.',
        'insights_worker_pool_threads 2',
        'insights_worker_pool_queue_size 5',
        'insights_worker_pool_utilization 0.75',
        'insights_worker_pool_completed 120',
      ]),
    );
  });
});

describe('two apps in one process', () => {
  it('count their requests apart and both show the process metrics', async () => {
    const engines = [await openEngine({ path: ':memory:' }), await openEngine({ path: ':memory:' })];
    try {
      const [first, second] = engines.map((engine) =>
        createApp(engine, { logger: false, publicMetrics: true }),
      );
      for (let i = 0; i < 3; i++) await first?.request('/healthz');
      const scrape = async (app: typeof first) =>
        (await (await app?.request('/metrics'))?.text())?.split('\n') ?? [];
      const firstLines = await scrape(first);
      const secondLines = await scrape(second);
      expect(firstLines).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 3');
      expect(secondLines.filter((line) => line.startsWith('http_requests_total{'))).toEqual([]);
      for (const lines of [firstLines, secondLines]) {
        expect(lines).toContain('# TYPE process_cpu_seconds_total counter');
        expect(lines).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      }
    } finally {
      for (const engine of engines) await engine.close();
    }
  });
});
