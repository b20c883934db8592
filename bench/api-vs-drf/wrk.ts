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

/** The load: wrk's threads, connections and duration (`-t -c -d`). */
export interface Load {
  readonly threads: number;
  readonly connections: number;
  readonly seconds: number;
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
      '30s',
      '--latency',
      '-s',
      scriptFile,
      base,
    ],
    { maxBuffer: 1 << 20 },
  );
  return parse(stdout);
}
