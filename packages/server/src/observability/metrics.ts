import type { WorkerPoolStats } from '@incident-insights/engine';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppEnv } from '../env.ts';
import { JobMetrics, type JobSource } from './job-metrics.ts';
import { processMetrics } from './process-metrics.ts';

/** Upper bounds (seconds) of the latency histogram's buckets (prom-client's defaults). */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the metrics read from the engine at each scrape (an `Engine` has both). */
interface MetricsSource {
  workerStats(): WorkerPoolStats;
  readonly jobs: JobSource;
}

/** The worker pool's gauges: metric name, help text and the statistic it shows. */
const poolGauges: readonly [name: string, help: string, stat: keyof WorkerPoolStats][] = [
  ['insights_worker_pool_threads', 'Worker threads alive in the kernel pool.', 'threads'],
  ['insights_worker_pool_queue_size', 'Kernel tasks waiting for a free worker thread.', 'queueSize'],
  [
    'insights_worker_pool_utilization',
    'Share of the kernel pool capacity spent running tasks since it started, 0 to 1.',
    'utilization',
  ],
  [
    'insights_worker_pool_completed',
    'Kernel tasks finished (successfully or not) since the pool started.',
    'completed',
  ],
];

/**
 * The server's Prometheus metrics (prom-client), in the text exposition format 0.0.4:
 *
 * - `http_requests_total{method, route, status}` and `http_request_duration_seconds{method, route}`
 *   (a histogram), by registered route pattern (`/api/incidents/:id/`), so label cardinality
 *   stays bounded; a request no route matched counts under `unmatched`;
 * - the worker pool's gauges (`insights_worker_pool_*`) and the jobs' metrics (`insights_jobs_*`,
 *   `insights_job_duration_seconds`), read from the engine at each scrape;
 * - the process's metrics (CPU, memory, event-loop lag, garbage collection, handles: see
 *   {@link processMetrics}).
 *
 * Each app has a registry of its own (never prom-client's global one), so several apps in one
 * process count apart.
 */
export class ServerMetrics {
  readonly #registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #latency: Histogram<'method' | 'route'>;
  readonly #jobs: JobMetrics;

  constructor(engine: MetricsSource) {
    const registers = [this.#registry];
    this.#requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds.',
      labelNames: ['method', 'route'],
      buckets: latencyBuckets,
      registers,
    });
    for (const [name, help, stat] of poolGauges) {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(engine.workerStats()[stat]);
        },
      });
    }
    this.#jobs = new JobMetrics(engine.jobs, this.#registry);
    processMetrics();
  }

  /** Records one finished request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    this.#requests.inc({ method, route, status: String(status) });
    this.#latency.observe({ method, route }, seconds);
  }

  /** Middleware that times every request and records it under its matched route pattern. */
  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const last = routePath(c, -1);
      const route = !last || last.includes('*') ? 'unmatched' : last;
      this.observe(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
    };
  }

  /** The `Content-Type` of {@link render}'s text. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /** The exposition text: this app's metrics, then the process's. */
  async render(): Promise<string> {
    await this.#jobs.refresh();
    return Registry.merge([this.#registry, processMetrics()]).metrics();
  }
}
