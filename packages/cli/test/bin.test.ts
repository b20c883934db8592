import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const cliDir = resolve(root, 'packages/cli');
const cwd = mkdtempSync(join(tmpdir(), 'insights-bin-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const manifest = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
};

describe('the insights binary', () => {
  const bin = resolve(cliDir, manifest.bin['insights'] ?? '');

  it('is a committed, executable file that npm links at install, without a build', () => {
    // npm ci links only a bin whose file exists; dist/ exists only after a build.
    expect(manifest.bin['insights']).not.toMatch(/dist\//);
    accessSync(bin, constants.X_OK);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(manifest.files).toContain('bin');
    // The lockfile npm ci installs from says the same.
    const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { bin?: Record<string, string> }>;
    };
    expect(resolve(cliDir, lock.packages['packages/cli']?.bin?.['insights'] ?? '')).toBe(bin);
  });

  it('runs the sources from any directory: help, and a one-line usage error', async () => {
    const help = await run(bin, ['--help'], { cwd });
    expect(help.stdout).toMatch(/^Usage: insights \[options\] \[command\]/);
    const failed = await run(bin, ['nope'], { cwd }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({
      code: 2,
      stderr: "insights: unknown command 'nope' (see insights --help)\n",
    });
  });
});

describe("the README's library example", () => {
  it('runs as the README says, on the sources through tsx, and prints the ingest report', async () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const library = readme.slice(readme.indexOf('## Library'));
    const code = /```ts\n([\s\S]*?)```/.exec(library)?.[1] ?? '';
    expect(code).toContain("from '@incident-insights/engine'");
    expect(library).toContain('npx tsx --conditions=@incident-insights/source example.mjs');
    // Saved in the repository (module resolution follows the file), run from a scratch directory
    // (the example writes ./data/insights.duckdb under the current directory).
    const scratch = resolve(root, '.tmp');
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `readme-example-${process.pid}.mjs`);
    writeFileSync(file, code);
    try {
      const tsx = resolve(root, 'node_modules/tsx/dist/cli.mjs');
      const out = await run(process.execPath, [tsx, '--conditions=@incident-insights/source', file], { cwd });
      expect(out.stdout).toContain('{ received: 1, inserted: 1, updated: 0, skipped: 0, errors: [] }');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
