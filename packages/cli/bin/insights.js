#!/usr/bin/env node
// The `insights` command. It runs the build (its bundle, dist/bundle/, else dist/) when it is there
// and up to date with the sources (`npm ci` builds both), else, in the repository, the TypeScript
// sources through tsx, so it never runs a stale build; an installed package, which ships only
// dist/, runs the build. See entry.js for how freshness is decided.
import { createRequire, register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.js';

const cliDir = fileURLToPath(new URL('..', import.meta.url));

const entry = chooseEntry(cliDir, { canRunSources: resolves('tsx/esm/api') });
if (entry === 'source') {
  // Workspace packages resolve to their sources under this condition (see their "exports").
  register('./source-condition.js', import.meta.url);
  const tsx = await import('tsx/esm/api');
  tsx.register();
  await import(new URL('../src/main.ts', import.meta.url).href);
} else {
  const main = entry === 'bundle' ? '../dist/bundle/main.js' : '../dist/main.js';
  await import(new URL(main, import.meta.url).href);
}

/** Whether `specifier` can be found from here. */
function resolves(specifier) {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
