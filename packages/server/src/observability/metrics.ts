import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../env.ts';

/** Upper bounds (seconds) of the latency histogram's buckets. */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Series {
  count: number;
  sum: number;
  bucketCounts: number[];
}

/**
 * HTTP metrics in the Prometheus text exposition format (version 0.0.4): a request counter by
 * method, route pattern and status, and a latency histogram by method and route. Routes are the
 * registered patterns (`/api/incidents/:id/`), so label cardinality stays bounded.
 */
export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Series>();

  /** Records one finished request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const requestKey = labels({ method, route, status: String(status) });
    this.requests.set(requestKey, (this.requests.get(requestKey) ?? 0) + 1);
    const latencyKey = labels({ method, route });
    let series = this.latency.get(latencyKey);
    if (!series) {
      series = { count: 0, sum: 0, bucketCounts: buckets.map(() => 0) };
      this.latency.set(latencyKey, series);
    }
    series.count += 1;
    series.sum += seconds;
    buckets.forEach((bound, i) => {
      if (seconds <= bound) series.bucketCounts[i] = (series.bucketCounts[i] ?? 0) + 1;
    });
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

  /**
   * The exposition text. `gauges` adds one gauge per entry (e.g. the worker pool's queue depth
   * and utilisation), named `insights_<key>` in snake case.
   */
  render(gauges: Readonly<Record<string, number>> = {}): string {
    const out: string[] = [
      '# HELP http_requests_total HTTP requests by method, route and status.',
      '# TYPE http_requests_total counter',
    ];
    for (const [key, n] of this.requests) out.push(`http_requests_total{${key}} ${n}`);
    out.push(
      '# HELP http_request_duration_seconds HTTP request latency in seconds.',
      '# TYPE http_request_duration_seconds histogram',
    );
    for (const [key, series] of this.latency) {
      buckets.forEach((bound, i) => {
        out.push(`http_request_duration_seconds_bucket{${key},le="${bound}"} ${series.bucketCounts[i] ?? 0}`);
      });
      out.push(`http_request_duration_seconds_bucket{${key},le="+Inf"} ${series.count}`);
      out.push(`http_request_duration_seconds_sum{${key}} ${series.sum}`);
      out.push(`http_request_duration_seconds_count{${key}} ${series.count}`);
    }
    for (const [name, value] of Object.entries(gauges)) {
      const metric = `insights_${name
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/\W/g, '_')
        .toLowerCase()}`;
      out.push(`# TYPE ${metric} gauge`, `${metric} ${value}`);
    }
    return `${out.join('\n')}\n`;
  }
}

function labels(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}
