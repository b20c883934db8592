/**
 * Steady HTTP load with every response sampled (autocannon), for benchmarks that need the latency
 * of the responses received in a given span of time (e.g. while a job runs), not of a whole run.
 */
import autocannon from 'autocannon';

/** Latency of every response, with the time it arrived. */
export interface Sample {
  readonly at: number;
  readonly ms: number;
  readonly ok: boolean;
}

/**
 * Loads `url` with `connections` connections until `stop` resolves; every response is sampled.
 * With `nextPath`, each request asks for the path it returns (on `url`'s origin), so that a run can
 * vary its pages and measure the engine rather than one cached answer.
 */
export function loadUntil(
  url: string,
  token: string,
  connections: number,
  stop: Promise<unknown>,
  nextPath?: () => string,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const requests: autocannon.Request[] | undefined = nextPath
    ? [{ setupRequest: (request) => ({ ...request, path: nextPath() }) }]
    : undefined;
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: 3600,
        headers: { Authorization: `Token ${token}` },
        ...(requests ? { requests } : {}),
      },
      (error: unknown) => (error ? fail(error) : done(samples)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      samples.push({ at: Date.now(), ms, ok: status >= 200 && status < 300 });
    });
    void stop.then(() => instance.stop());
  });
}

/** Count, failures and latency quantiles (nearest rank) of some responses. */
export interface Figures {
  readonly requests: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
}

/** The figures of the samples received in `[from, to]` (epoch ms). */
export function figures(samples: readonly Sample[], from: number, to: number): Figures {
  const kept = samples.filter((s) => s.at >= from && s.at <= to);
  const ms = kept.map((s) => s.ms).sort((a, b) => a - b);
  const rank = (q: number) =>
    ms[Math.min(ms.length - 1, Math.max(0, Math.ceil(q * ms.length) - 1))] ?? Number.NaN;
  return { requests: kept.length, failed: kept.filter((s) => !s.ok).length, p50: rank(0.5), p99: rank(0.99) };
}
