/**
 * One wrk run over a list of paths: a Lua script sends them in turn (each thread starting at its own
 * offset) with the token, and the requests a second, p99 latency and failures come back parsed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The wrk binary: `WRK` from the environment, else `wrk` on the PATH. */
const wrkCommand = process.env['WRK'] ?? 'wrk';

/** Whether wrk can be run. */
export function wrkInstalled(): boolean {
  return spawnSync(wrkCommand, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** The load: wrk's threads, connections and duration (`-t -c -d`), and its `--timeout` (30 s unless given). */
export interface Load {
  readonly threads: number;
  readonly connections: number;
  readonly seconds: number;
  readonly timeoutSeconds?: number;
}

/** The peer's gunicorn sync workers (`run.sh ... 2`): how many of its requests run at once. */
const peerWorkers = 2;

/** How an endpoint is measured: wrk (with its `--timeout`), or single requests one at a time. */
export type Measurement =
  | { readonly kind: 'wrk'; readonly timeoutSeconds: number }
  | { readonly kind: 'single' };

/**
 * The measurement for an endpoint whose single requests, sent one at a time, took `latencyMs` (the
 * slower side's median). Under wrk, `connections` requests queue on the peer's {@link peerWorkers}
 * workers, so one answer takes about `latencyMs × connections / workers` and the duration yields
 * about `seconds × workers / latencyMs` answers. When that is fewer than 10, wrk would measure a
 * handful of answers (or none): the endpoint is measured by single requests one at a time instead,
 * on both sides. Otherwise wrk's timeout is raised above the queue's wait (30 s at least), so
 * slow answers count as answers and not as timeouts.
 */
export function measurementFor(latencyMs: number, load: Pick<Load, 'seconds' | 'connections'>): Measurement {
  const answers = (load.seconds * 1000 * peerWorkers) / Math.max(latencyMs, 1);
  if (answers < 10) return { kind: 'single' };
  const queueSeconds = (latencyMs / 1000) * Math.ceil(load.connections / peerWorkers);
  return { kind: 'wrk', timeoutSeconds: Math.max(30, Math.ceil(2 * queueSeconds)) };
}

/** What one wrk run measured. */
export interface WrkFigures {
  readonly rps: number;
  /** 99th percentile latency, ms. */
  readonly p99: number;
  readonly requests: number;
  /** Socket errors, timeouts and non-2xx/3xx answers. */
  readonly failed: number;
}

/** Lua text quoted for a long string literal. */
const lua = (text: string) => `[==[${text}]==]`;

/** The wrk script that sends `paths` in turn with `Authorization: Token <token>`. */
function script(paths: readonly string[], token: string): string {
  return `local paths = {\n${paths.map((p) => `  ${lua(p)},`).join('\n')}\n}
wrk.headers["Authorization"] = ${lua(`Token ${token}`)}
local counter = 0
local next_id = 0
setup = function(thread)
  thread:set("offset", next_id * 7919)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[((counter + (offset or 0)) % #paths) + 1])
end
`;
}

/**
 * The wrk script that posts `body` to `path`, each request with `%s` in the body replaced by its
 * own number (`thread-request`), so every request creates a new record.
 */
function postScript(path: string, body: string, token: string): string {
  return `wrk.method = "POST"
wrk.headers["Authorization"] = ${lua(`Token ${token}`)}
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local next_id = 0
setup = function(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local n = tostring(tid or 0) .. "-" .. tostring(counter)
  local body = string.gsub(${lua(body)}, "%%s", n)
  return wrk.format("POST", ${lua(path)}, nil, body)
end
`;
}

/** A wrk latency figure (`12.5ms`, `1.20s`, `850.00us`) in ms. */
function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!match) return Number.NaN;
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(match[1]) * factor;
}

/** Parses wrk's `--latency` report. */
function parse(report: string): WrkFigures {
  const number = (pattern: RegExp) => Number(pattern.exec(report)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p99: milliseconds(/^\s+99%\s+(\S+)/m.exec(report)?.[1] ?? ''),
    requests: number(/(\d+) requests in/),
    failed: socketErrors + number(/Non-2xx or 3xx responses: (\d+)/),
  };
}

/** Runs wrk against `base` over `paths` (script written to `scriptFile`). */
export function wrk(
  base: string,
  paths: readonly string[],
  token: string,
  load: Load,
  scriptFile: string,
): Promise<WrkFigures> {
  writeFileSync(scriptFile, script(paths, token));
  return runWrk(base, load, scriptFile);
}

/** Runs wrk posting `body` to `path` on `base`, a new number in each body (see {@link postScript}). */
export function wrkPost(
  base: string,
  path: string,
  body: string,
  token: string,
  load: Load,
  scriptFile: string,
): Promise<WrkFigures> {
  writeFileSync(scriptFile, postScript(path, body, token));
  return runWrk(base, load, scriptFile);
}

async function runWrk(base: string, load: Load, scriptFile: string): Promise<WrkFigures> {
  const { stdout } = await run(
    wrkCommand,
    [
      `-t${load.threads}`,
      `-c${load.connections}`,
      `-d${load.seconds}s`,
      '--timeout',
      `${load.timeoutSeconds ?? 30}s`,
      '--latency',
      '-s',
      scriptFile,
      base,
    ],
    { maxBuffer: 1 << 20 },
  );
  return parse(stdout);
}
