import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const cliDir = resolve(root, 'packages/cli');
// Inside the repository (git-ignored), two levels deeper than dist/bundle/ is: the bundle must find
// its native binding, workers and WebAssembly files from wherever it is written.
const scratch = resolve(root, '.tmp', `bundle-${process.pid}`);
const bundle = join(scratch, 'deeper/bundle');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The bundle of the current build (`dist/`, which `npm ci` and `npm run build` make), written by
 * `scripts/bundle.js` to a scratch directory, as `npm run build` writes it to dist/bundle/.
 */
beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  await run(process.execPath, [join(cliDir, 'scripts/bundle.js'), bundle]);
}, 120_000);

/** Runs the bundle with `args` and a probe that lists the CommonJS files loaded by the end. */
async function bundled(args: readonly string[]): Promise<{ stdout: string; loaded: string[] }> {
  const probe = join(scratch, 'probe.cjs');
  const list = join(scratch, 'loaded.json');
  writeFileSync(
    probe,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LIST, JSON.stringify(Object.keys(require.cache))));\n",
  );
  const { stdout } = await run(process.execPath, ['--require', probe, join(bundle, 'main.js'), ...args], {
    cwd: scratch,
    env: { ...process.env, LOADED_LIST: list },
  });
  return { stdout, loaded: JSON.parse(readFileSync(list, 'utf8')) as string[] };
}

describe('the bundled CLI', () => {
  const db = join(scratch, 'insights.duckdb');

  it("runs a command reading no package file but DuckDB's native binding", async () => {
    const { stdout, loaded } = await bundled(['--db', db, 'users', 'list']);
    expect(stdout.split('\n')[0]).toMatch(/^id\s+username\s+role/);
    // Unbundled, the same command loads 663 CommonJS files (DuckDB's Node API, Piscina,
    // @stdlib, ...); bundled, only DuckDB's binding package, whose native module cannot be
    // bundled, and the one package it requires (detect-libc).
    const packageFiles = loaded.filter((path) => path.includes('/node_modules/'));
    expect(packageFiles.some((path) => path.includes('/node_modules/@duckdb/node-bindings'))).toBe(true);
    expect(
      packageFiles.filter(
        (path) => !/\/node_modules\/(@duckdb\/node-bindings[^/]*|detect-libc)\//.test(path),
      ),
    ).toEqual([]);
  });

  it('runs work on the worker threads and gives the answer the unbundled build gives', async () => {
    // Six outages of one service a day apart (a recurring problem), pinned dates.
    const file = join(scratch, 'incidents.json');
    const incidents = Array.from({ length: 6 }, (_, day) => ({
      external_id: `R-${day}`,
      title: 'Checkout database connection pool exhausted',
      description: 'Connection pool exhausted on the checkout database',
      service: 'checkout',
      severity: 'HIGH',
      created_at: `2026-05-${String(10 + day).padStart(2, '0')}T09:00:00Z`,
    }));
    writeFileSync(file, JSON.stringify(incidents));
    const recurrence = [
      'analyze-recurrence',
      '--end',
      '2026-05-20T00:00:00Z',
      '--time-window',
      '720',
      '--json',
    ];
    await bundled(['--db', db, 'ingest', file]);
    const fromBundle = JSON.parse((await bundled(['--db', db, ...recurrence])).stdout);
    const fromDist = JSON.parse(
      (await run(process.execPath, [join(cliDir, 'dist/main.js'), '--db', db, ...recurrence])).stdout,
    );
    const shape = (result: { analyses: { recurrence_type: string; occurrence_count: number }[] }) =>
      result.analyses.map((a) => [a.recurrence_type, a.occurrence_count]).sort();
    expect(shape(fromBundle).length).toBeGreaterThan(0);
    expect(shape(fromBundle)).toEqual(shape(fromDist));
  });
});
