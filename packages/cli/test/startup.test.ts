import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript module of the binary, without declarations.
import { chooseEntry } from '../bin/entry.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
// Inside the repository (git-ignored), so that tsx resolves from the copied binary as it does
// from the real one.
const scratch = resolve(root, '.tmp', `startup-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Pinned modification times: the build at 10:00, older sources at 09:00, newer ones at 11:00. */
const builtAt = new Date('2026-06-01T10:00:00Z');
const before = new Date('2026-06-01T09:00:00Z');
const after = new Date('2026-06-01T11:00:00Z');

let layouts = 0;

/**
 * A fake workspace (packages/{engine,server,web,cli}) with the real binary copied in: sources written
 * at `before`, each package's build stamp (tsconfig.tsbuildinfo) at `builtAt`, and a main.ts and
 * dist/main.js that print which one ran. Returns the CLI package's directory.
 */
function workspace(): string {
  const packages = join(scratch, `layout-${++layouts}`, 'packages');
  const cli = join(packages, 'cli');
  cpSync(resolve(import.meta.dirname, '../bin'), join(cli, 'bin'), { recursive: true });
  write(join(cli, 'src/main.ts'), "const ran: string = 'source';\nconsole.log(ran);\n", before);
  write(join(cli, 'dist/main.js'), "console.log('dist');\n", builtAt);
  write(join(cli, 'dist/bundle/main.js'), "console.log('bundle');\n", builtAt);
  for (const name of ['engine', 'server', 'web'])
    write(join(packages, name, 'src/deep/module.ts'), 'export {};\n', before);
  for (const name of ['engine', 'server', 'web', 'cli'])
    write(join(packages, name, 'tsconfig.tsbuildinfo'), '{}', builtAt);
  return cli;
}

function write(path: string, text: string, time: Date): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, time, time);
}

const withTsx = { canRunSources: true, env: {} };

describe('choosing what insights runs', () => {
  it('runs the bundle of the build when every package was built after its newest source', () => {
    expect(chooseEntry(workspace(), withTsx)).toBe('bundle');
  });

  it("runs dist/ when the bundle is missing or older than one package's build", () => {
    const noBundle = workspace();
    rmSync(join(noBundle, 'dist/bundle'), { recursive: true });
    expect(chooseEntry(noBundle, withTsx)).toBe('dist');
    const rebuilt = workspace(); // `tsc -b` again without bundling
    write(join(rebuilt, '../engine/tsconfig.tsbuildinfo'), '{}', after);
    write(join(rebuilt, '../engine/src/deep/module.ts'), 'export const changed = 1;\n', after);
    expect(chooseEntry(rebuilt, withTsx)).toBe('dist');
  });

  it('runs the sources when one file deep in another package changed after the build', () => {
    const cli = workspace();
    write(join(cli, '../engine/src/deep/module.ts'), 'export const changed = 1;\n', after);
    expect(chooseEntry(cli, withTsx)).toBe('source');
    // The web package's report code is part of the build too (`insights report`).
    const web = workspace();
    write(join(web, '../web/src/deep/module.ts'), 'export const changed = 1;\n', after);
    expect(chooseEntry(web, withTsx)).toBe('source');
  });

  it('runs the sources when the build is missing or was never stamped', () => {
    const noBuild = workspace();
    rmSync(join(noBuild, 'dist'), { recursive: true });
    expect(chooseEntry(noBuild, withTsx)).toBe('source');
    const noStamp = workspace();
    rmSync(join(noStamp, '../server/tsconfig.tsbuildinfo'));
    expect(chooseEntry(noStamp, withTsx)).toBe('source');
  });

  it('runs the build when there are no sources (an installed package) or no tsx to run them', () => {
    const installed = workspace(); // ships dist/ without the build stamps
    rmSync(join(installed, 'src'), { recursive: true });
    for (const name of ['engine', 'server', 'web', 'cli'])
      rmSync(join(installed, '..', name, 'tsconfig.tsbuildinfo'));
    expect(chooseEntry(installed, withTsx)).toBe('dist');
    const stale = workspace();
    write(join(stale, 'src/main.ts'), "console.log('source');\n", after);
    expect(chooseEntry(stale, { canRunSources: false, env: {} })).toBe('bundle');
  });

  it('obeys INSIGHTS_RUN, which benchmarks use to time either path', () => {
    const cli = workspace();
    expect(chooseEntry(cli, { canRunSources: true, env: { INSIGHTS_RUN: 'source' } })).toBe('source');
    write(join(cli, 'src/main.ts'), "console.log('source');\n", after);
    expect(chooseEntry(cli, { canRunSources: true, env: { INSIGHTS_RUN: 'dist' } })).toBe('dist');
    expect(chooseEntry(cli, { canRunSources: true, env: { INSIGHTS_RUN: 'bundle' } })).toBe('bundle');
  });
});

describe('the insights binary on a fake workspace', () => {
  const env = { ...process.env, INSIGHTS_RUN: '' };

  it('runs the bundle, or dist/main.js, when the build is fresh and src/main.ts through tsx once a source is newer', async () => {
    const cli = workspace();
    const bin = join(cli, 'bin/insights.js');
    expect((await run(process.execPath, [bin], { env })).stdout).toBe('bundle\n');
    rmSync(join(cli, 'dist/bundle'), { recursive: true });
    expect((await run(process.execPath, [bin], { env })).stdout).toBe('dist\n');
    write(join(cli, '../server/src/deep/module.ts'), 'export const changed = 1;\n', after);
    expect((await run(process.execPath, [bin], { env })).stdout).toBe('source\n');
  });
});

describe('what `insights --help` loads', () => {
  /**
   * Runs the CLI's sources with `args` and returns the CommonJS modules loaded by the time it
   * exits (DuckDB's Node API, Piscina and @stdlib are CommonJS packages the engine's main entry
   * loads).
   */
  async function loadedModules(args: readonly string[]): Promise<string[]> {
    const probe = join(scratch, 'probe.cjs');
    const list = join(scratch, `loaded-${args.join('-').replace(/\W+/g, '_')}.json`);
    mkdirSync(scratch, { recursive: true });
    writeFileSync(
      probe,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_LIST, JSON.stringify(Object.keys(require.cache))));\n",
    );
    await run(
      process.execPath,
      [
        '--require',
        probe,
        '--import',
        'tsx',
        '--conditions=@incident-insights/source',
        'packages/cli/src/main.ts',
        ...args,
      ],
      { cwd: root, env: { ...process.env, LOADED_LIST: list, INSIGHTS_DB: join(scratch, 'probe.duckdb') } },
    ).catch(() => undefined);
    return JSON.parse(readFileSync(list, 'utf8')) as string[];
  }

  const engineMarkers = /node_modules\/(@duckdb\/node-api|piscina|@stdlib)\//;

  it('loads neither the engine nor DuckDB for the help of the program and of a command', async () => {
    for (const args of [['--help'], ['users', '--help'], ['serve', '--help'], ['nope']]) {
      const loaded = await loadedModules(args);
      expect(loaded.length, args.join(' ')).toBeGreaterThan(0);
      expect(
        loaded.filter((path) => engineMarkers.test(path)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('loads them once a command runs (the probe sees them)', async () => {
    const loaded = await loadedModules(['users', 'list']);
    expect(loaded.some((path) => path.includes('node_modules/@duckdb/node-api/'))).toBe(true);
  });
});
