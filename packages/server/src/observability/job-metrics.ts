import type { JobService } from '@incident-insights/engine';
import { Counter, Gauge, Histogram, type HistogramConfiguration, type Registry } from 'prom-client';

type JobStatistics = Awaited<ReturnType<JobService['statistics']>>[number];

/** The job source the metrics read at each scrape: `engine.jobs` or a stand-in with these two methods. */
export type JobSource = Pick<JobService, 'kinds' | 'statistics'>;

/** Upper bounds (seconds) of the job-duration histogram: jobs last from a fraction of a second to an hour. */
const durationBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

const finalStatuses = ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

/**
 * A histogram whose buckets are not observed in this process but read from the job store at each
 * scrape ({@link StoredHistogram.load}): the durations of every job the database holds, so a
 * restart does not lose them. prom-client 15 reads a histogram's series through
 * `getForPromString` (its `get` too), which this replaces; the registry formats them as it does
 * any histogram's.
 */
class StoredHistogram extends Histogram<'kind' | 'status'> {
  readonly #name: string;
  readonly #help: string;
  #rows: readonly JobStatistics[] = [];

  constructor(configuration: HistogramConfiguration<'kind' | 'status'>) {
    super(configuration);
    this.#name = configuration.name;
    this.#help = configuration.help;
  }

  load(rows: readonly JobStatistics[]): void {
    this.#rows = rows.filter((row) => row.durations.count > 0);
  }

  async getForPromString() {
    const name = this.#name;
    const sharedLabels = {};
    const values = this.#rows.flatMap((row) => {
      const labels = { kind: row.kind, status: row.status };
      return [
        ...durationBuckets.map((le, i) => ({
          labels: { ...labels, le },
          sharedLabels,
          value: row.durations.atMost[i] ?? 0,
          metricName: `${name}_bucket`,
        })),
        {
          labels: { ...labels, le: '+Inf' },
          sharedLabels,
          value: row.durations.count,
          metricName: `${name}_bucket`,
        },
        { labels, sharedLabels, value: row.durations.sumSeconds, metricName: `${name}_sum` },
        { labels, sharedLabels, value: row.durations.count, metricName: `${name}_count` },
      ];
    });
    return { name, help: this.#help, type: 'histogram', aggregator: 'sum', values };
  }
}

/**
 * Job metrics read from `engine.jobs` at each scrape (one aggregate query): how many jobs of each
 * registered kind wait and run now, how many ended in each final status, and how long those that
 * ran lasted. Every registered kind is shown, zero until it has jobs.
 */
export class JobMetrics {
  readonly #jobs: JobSource;
  readonly #queued: Gauge<'kind'>;
  readonly #running: Gauge<'kind'>;
  readonly #finished: Counter<'kind' | 'status'>;
  readonly #duration: StoredHistogram;

  constructor(jobs: JobSource, registry: Registry) {
    this.#jobs = jobs;
    const registers = [registry];
    this.#queued = new Gauge({
      name: 'insights_jobs_queued',
      help: 'Jobs waiting to run (new ones and retries waiting out their backoff), by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.#running = new Gauge({
      name: 'insights_jobs_running',
      help: 'Jobs running now, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.#finished = new Counter({
      name: 'insights_jobs_finished_total',
      help: 'Jobs that ended, by kind and final status (SUCCEEDED, FAILED, CANCELLED), over the database history.',
      labelNames: ['kind', 'status'],
      registers,
    });
    this.#duration = new StoredHistogram({
      name: 'insights_job_duration_seconds',
      help: 'Duration of the jobs that ran and ended, from their last run start to their end, by kind and final status.',
      labelNames: ['kind', 'status'],
      buckets: durationBuckets,
      registers,
    });
  }

  /** Reads the job statistics and sets every job metric from them; call before rendering. */
  async refresh(): Promise<void> {
    const rows = await this.#jobs.statistics({ durationBuckets });
    const kinds = new Set([...this.#jobs.kinds().map((k) => k.kind), ...rows.map((row) => row.kind)]);
    for (const metric of [this.#queued, this.#running, this.#finished]) metric.reset();
    for (const kind of kinds) {
      this.#queued.set({ kind }, 0);
      this.#running.set({ kind }, 0);
      for (const status of finalStatuses) this.#finished.inc({ kind, status }, 0);
    }
    for (const row of rows) {
      if (row.status === 'QUEUED') this.#queued.set({ kind: row.kind }, row.count);
      else if (row.status === 'RUNNING') this.#running.set({ kind: row.kind }, row.count);
      else this.#finished.inc({ kind: row.kind, status: row.status }, row.count);
    }
    this.#duration.load(rows);
  }
}
