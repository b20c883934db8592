/**
 * The `insights` command line as child processes, run from the TypeScript sources: `insights serve`
 * on a database (its address read from the runtime file it leaves), and single commands, timed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { timed } from './timer.ts';

const root = resolve(import.meta.dirname, '..');
const cliArgs = [
  '--import',
  'tsx',
  '--conditions=@incident-insights/source',
  join(root, 'packages/cli/src/main.ts'),
];

/** A running `insights serve`. */
export interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * `insights serve` on `db` as a child process (no schedule, rate limits out of the way, and
 * `serveArgs` after those options, such as `--upload-limit`); resolves once its runtime file names
 * its address.
 */
export async function startServer(db: string, serveArgs: readonly string[] = []): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...cliArgs,
      '--db',
      db,
      'serve',
      '--port',
      '0',
      '--no-schedule',
      '--log-level',
      'warn',
      '--rate-per-minute',
      '60000000',
      '--rate-per-hour',
      '60000000',
      ...serveArgs,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const runtime = `${db}.server.json`;
  for (let waited = 0; !existsSync(runtime); waited += 100) {
    if (child.exitCode !== null || waited > 120_000) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const { url } = JSON.parse(readFileSync(runtime, 'utf8')) as { url: string };
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs the CLI once; its wall time and what it printed. */
export async function runCli(db: string, args: readonly string[]): Promise<{ ms: number; out: string }> {
  const { ms, value } = await timed(
    () =>
      new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, [...cliArgs, '--db', db, ...args], { cwd: root });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d;
        });
        child.stderr.on('data', (d: Buffer) => {
          err += d;
        });
        child.once('exit', (code) => (code === 0 ? done(out) : fail(new Error(`exit ${code}: ${err}`))));
      }),
  );
  return { ms, out: value };
}
