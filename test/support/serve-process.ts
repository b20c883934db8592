import { type ChildProcess, spawn } from 'node:child_process';
import { insightsRunner, repoRoot } from './run-cli.ts';

/** An `insights serve` child process and what it has printed so far. */
export interface ServeProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `insights serve --port 0 --log-level silent` (see `insightsRunner`) on `db` with `args` added (and
 * `env` added to this process's environment), and collects its output. Waiting until it answers is the caller's choice (the "listening" line, the
 * runtime file).
 */
export function spawnServe(
  db: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): ServeProcess {
  const child = spawn(
    process.execPath,
    [...insightsRunner, '--db', db, 'serve', '--port', '0', '--log-level', 'silent', ...args],
    { cwd: repoRoot, env: { ...process.env, ...env } },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves with the server's base URL once it prints its "listening on" line; rejects if it exits first. */
export function listeningUrl(served: ServeProcess): Promise<string> {
  return printed(served, 'stderr', /listening on (http:\/\/[^/\s]+)\/api\//);
}

/**
 * Resolves with the first group of `pattern` once the server's `stream` matches it (the admin token
 * on stdout, say, which comes on its own pipe); rejects if the server exits first.
 */
export function printed(served: ServeProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  const pipe = served.child[stream];
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(served[stream]());
      if (match?.[1]) {
        pipe?.off('data', check);
        resolve(match[1]);
      }
    };
    pipe?.on('data', check);
    served.exited.then((code) => reject(new Error(`serve exited with ${code}: ${served.stderr()}`)));
    check();
  });
}
