#!/usr/bin/env node
// The `insights` command. In the repository (the TypeScript sources next to this file and tsx
// installed, as after `npm ci`) it runs the sources, so it works without a build and never runs a
// stale one; an installed package, which ships only dist/, runs the build.
import { existsSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);

if (existsSync(source) && resolves('tsx/esm/api')) {
  // Workspace packages resolve to their sources under this condition (see their "exports").
  register('./source-condition.js', import.meta.url);
  const tsx = await import('tsx/esm/api');
  tsx.register();
  await import(source.href);
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
