// Which code the `insights` command runs: the bundle of the build (dist/bundle/), else the build
// (dist/), when it is there and not older than the sources, else the TypeScript sources through
// tsx. Kept free of dependencies so that choosing costs a few milliseconds: one stat per source
// file of the four workspace packages.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The workspace packages the CLI's build is made of, as directories relative to the CLI's. */
const builtPackages = ['.', '../engine', '../server', '../web'];

/**
 * `'bundle'`, `'dist'` or `'source'`: what `insights` should run from the CLI package in `cliDir`.
 * An installed package (no src/) or a machine without tsx runs the build; in the repository the
 * build runs only when `dist/main.js` exists and, in each package, `tsconfig.tsbuildinfo` (which
 * `tsc -b` writes last) is at least as new as every file under src/. A fresh build runs from its
 * bundle (`dist/bundle/main.js`, written by `scripts/bundle.js` after `tsc -b`) when the bundle is
 * at least as new as each package's `tsconfig.tsbuildinfo`, else from `dist/main.js`.
 * `INSIGHTS_RUN=source`, `dist` or `bundle` forces a choice, for benchmarks and tests.
 *
 * @param {string} cliDir the CLI package's directory
 * @param {{ canRunSources: boolean, env?: NodeJS.ProcessEnv }} options whether tsx can be loaded
 * @returns {'bundle' | 'dist' | 'source'}
 */
export function chooseEntry(cliDir, { canRunSources, env = process.env }) {
  const forced = env.INSIGHTS_RUN;
  if (forced === 'source' || forced === 'dist' || forced === 'bundle') return forced;
  if (!exists(join(cliDir, 'src/main.ts')) || !canRunSources) return builtEntry(cliDir);
  if (!exists(join(cliDir, 'dist/main.js'))) return 'source';
  for (const relative of builtPackages) {
    const dir = resolve(cliDir, relative);
    const builtAt = mtimeOf(join(dir, 'tsconfig.tsbuildinfo'));
    if (builtAt === undefined || newestUnder(join(dir, 'src')) > builtAt) return 'source';
  }
  return builtEntry(cliDir);
}

/** `'bundle'` when `dist/bundle/main.js` is at least as new as every package's build stamp, else `'dist'`. */
function builtEntry(cliDir) {
  const bundledAt = mtimeOf(join(cliDir, 'dist/bundle/main.js'));
  if (bundledAt === undefined) return 'dist';
  for (const relative of builtPackages) {
    const builtAt = mtimeOf(join(resolve(cliDir, relative), 'tsconfig.tsbuildinfo'));
    if (builtAt === undefined || builtAt > bundledAt) return 'dist';
  }
  return 'bundle';
}

/** The newest modification time (ms) of the files under `dir`, or 0 when there are none. */
function newestUnder(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestUnder(path) : (mtimeOf(path) ?? 0);
    if (time > newest) newest = time;
  }
  return newest;
}

function mtimeOf(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs;
}

function exists(path) {
  return mtimeOf(path) !== undefined;
}
