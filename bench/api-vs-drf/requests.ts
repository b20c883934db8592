/**
 * The requests the comparison sends outside wrk: the catalogue each side's paths are built from, the
 * check that both answer the same counts (timing each request), single requests one at a time for
 * an endpoint too slow for wrk, and the wait for a server to drain its queue (see settle.ts).
 */
import { type Catalog, csvVocabulary, type Endpoint } from './endpoints.ts';
import type { WrkFigures } from './wrk.ts';

/** A side of the comparison: its base URL, token and catalogue. */
export interface Side {
  readonly name: string;
  readonly url: string;
  readonly token: string;
  catalog?: Catalog;
}

/** A GET with the side's token: its status and its body, parsed when it is JSON. */
async function getJson(side: Side, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${side.url}${path}`, { headers: { Authorization: `Token ${side.token}` } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** The count an answer carries: a page's `count`, a list's length, or 1 for one object. */
function answerCount(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  const page = body as { count?: unknown };
  return typeof page.count === 'number' ? page.count : 1;
}

/** What the varied paths of `side` are built from: the CSV's vocabulary, its newest 100 incidents, its count. */
export async function catalogOf(side: Side, csv: string): Promise<Catalog> {
  const { status, body } = await getJson(side, '/api/incidents/?page_size=100');
  if (status !== 200) throw new Error(`${side.name}: GET /api/incidents/ answered ${status}`);
  const page = body as { count: number; results: { id: string }[] };
  return { ...csvVocabulary(csv), incidentIds: page.results.map((r) => r.id), incidentCount: page.count };
}

/** A GET's answer and how long it took, ms; anything but 200 is an error. */
async function timedGet(side: Side, path: string): Promise<{ body: unknown; ms: number }> {
  const started = performance.now();
  const { status, body } = await getJson(side, path);
  if (status !== 200)
    throw new Error(`${side.name}: GET ${path} answered ${status}: ${JSON.stringify(body)}`);
  return { body, ms: performance.now() - started };
}

/**
 * Checks up to 5 of the endpoint's paths answer 200 with the same count on both (the first
 * counts), one request at a time and one side after the other, so each request's time is its
 * single-request latency (ms, per side).
 */
export async function check(
  endpoint: Endpoint,
  sides: readonly Side[],
): Promise<{ counts: string; same: boolean; latencies: number[][] }> {
  const answers: number[][] = [];
  const latencies: number[][] = [];
  for (const side of sides) {
    const counts: number[] = [];
    const times: number[] = [];
    for (const path of endpoint.paths(side.catalog as Catalog).slice(0, 5)) {
      const { body, ms } = await timedGet(side, path);
      counts.push(answerCount(body));
      times.push(ms);
    }
    answers.push(counts);
    latencies.push(times);
  }
  const [peer = [], ours = []] = answers;
  return { counts: `${peer[0]} / ${ours[0]}`, same: peer.join() === ours.join(), latencies };
}

/** The median of some latencies (the lower middle of an even count), ms. */
export function median(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/**
 * `count` single requests one at a time on one side, over the endpoint's paths
 * after the 5 the check sent (or again from the first when there are fewer), each worker warm by
 * then: requests a second as 1 / the median latency, and the slowest in place of the p99.
 */
export async function singleFigures(
  side: Side,
  paths: readonly string[],
  count: number,
): Promise<WrkFigures> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const path = paths[(paths.length > 5 ? 5 + i : i) % paths.length] as string;
    times.push((await timedGet(side, path)).ms);
  }
  return { rps: 1000 / median(times), p99: Math.max(...times), requests: times.length, failed: 0 };
}

/**
 * Waits until `side` answers a small request, for at most `timeoutMs`: requests still queued from
 * the last load (a slow endpoint leaves many behind in the peer's sync workers) are served first,
 * so the next load starts on an idle server. Whether it answered in time (any status counts); a
 * failure other than the timeout (the server gone) is thrown.
 */
export async function drained(side: Side, timeoutMs: number): Promise<boolean> {
  const signal = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs))); // whole milliseconds only
  try {
    const response = await fetch(`${side.url}/api/analytics/kpi-metrics/?page_size=1`, {
      headers: { Authorization: `Token ${side.token}` },
      signal,
    });
    await response.arrayBuffer();
    return true;
  } catch (error) {
    if (signal.aborted) return false;
    throw error;
  }
}
