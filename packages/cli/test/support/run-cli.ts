import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** The repository root, where the CLI's sources run from. */
export const repoRoot = resolve(import.meta.dirname, '../../../..');

/** What one run of the `insights` process gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `insights` CLI from source as a child process, with `env` added to this
 * process's environment, and resolves (never rejects) with its exit code and output.
 */
export function runInsights(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@incident-insights/source', 'packages/cli/src/main.ts', ...args],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
