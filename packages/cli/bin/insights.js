#!/usr/bin/env node
// The `insights` command. It runs the build (dist/) when it is there and up to date with the
// sources (`npm ci` builds it), else, in the repository, the TypeScript sources through tsx, so it
// never runs a stale build; an installed package, which ships only dist/, runs the build. See
// entry.js for how freshness is decided.
import { createRequire, register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.js';

const cliDir = fileURLToPath(new URL('..', import.meta.url));

if (chooseEntry(cliDir, { canRunSources: resolves('tsx/esm/api') }) === 'source') {
  // Workspace packages resolve to their sources under this condition (see their "exports").
  register('./source-condition.js', import.meta.url);
  const tsx = await import('tsx/esm/api');
  tsx.register();
  await import(new URL('../src/main.ts', import.meta.url).href);
} else {
  await import(new URL('../dist/main.js', import.meta.url).href);
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
