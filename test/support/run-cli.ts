import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openEngine } from '@incident-insights/engine';
// @ts-expect-error: a plain JavaScript module of the binary, without declarations.
import { chooseEntry as chooseEntryOfBinary } from '../../packages/cli/bin/entry.js';

/** The repository root, where the CLI's sources run from. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** What one run of the `insights` process (or another script) gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Node arguments that run a TypeScript or JavaScript file on the workspace's sources (tsx). */
export const sourceRunner = ['--import', 'tsx', '--conditions=@incident-insights/source'] as const;

/**
 * Node arguments that run a JavaScript script importing the workspace packages: none when the build
 * is fresh (node then resolves `@incident-insights/*` to each package's dist/, as an installed
 * package does), else {@link sourceRunner}. The same choice as `insights` makes
 * (`packages/cli/bin/entry.js`, `INSIGHTS_RUN` included); a node without tsx starts about a second
 * sooner.
 */
export function packageRunner(): readonly string[] {
  const chooseEntry = chooseEntryOfBinary as (
    cliDir: string,
    options: { canRunSources: boolean },
  ) => 'bundle' | 'dist' | 'source';
  const entry = chooseEntry(join(repoRoot, 'packages/cli'), { canRunSources: true });
  return entry === 'source' ? sourceRunner : [];
}

/**
 * Node arguments that run the `insights` binary as a user runs it: the bundle of the build when
 * it is fresh, else the sources through tsx (`packages/cli/bin/entry.js` decides;
 * `INSIGHTS_RUN=source`, `dist` or `bundle` in the environment forces one). A fresh build starts a
 * command about three times faster than tsx on the sources (bench/RESULTS.md, "CLI start-up").
 */
export const insightsRunner = ['packages/cli/bin/insights.js'] as const;

/**
 * Runs `script` (a path from the repository root) on the sources as a child process, with `env`
 * added to this process's environment, and resolves (never rejects) with its exit code and output.
 */
export function runScript(
  script: string,
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  return runNode([...sourceRunner, script, ...args], env);
}

/** Runs node with `nodeArgs` from the repository root (see {@link runScript}). */
function runNode(nodeArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      nodeArgs,
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the real `insights` CLI (see {@link insightsRunner}), with `env` added to this process's environment. */
export function runInsights(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runNode([...insightsRunner, ...args], env);
}

/** Incidents stored in the database file `db` (what a CLI run left behind), read through the library. */
export async function countIn(db: string): Promise<number> {
  const engine = await openEngine({ path: db });
  try {
    return await engine.incidents.count();
  } finally {
    await engine.close();
  }
}
