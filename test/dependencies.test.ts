import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');
const packages = ['engine', 'server', 'cli'];

/** Every `.ts` file below a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The npm packages a file imports (static and dynamic imports, `export ... from`, and `require` of a
 * module loaded through `createRequire`), by package name.
 */
function importedPackages(code: string): string[] {
  const specifiers = [
    ...code.matchAll(
      /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\(\s*|^import\s+)'([^'.\s][^'\s]*)'/gm,
    ),
  ].map((m) => m[1]!);
  return specifiers
    .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

describe('runtime dependencies', () => {
  for (const name of packages) {
    it(`@incident-insights/${name} declares exactly the packages its src/ imports`, () => {
      const dir = join(repoRoot, 'packages', name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const declared = Object.keys(manifest.dependencies ?? {}).sort();
      const used = [
        ...new Set(sourceFiles(join(dir, 'src')).flatMap((f) => importedPackages(readFileSync(f, 'utf8')))),
      ].sort();
      // A declared package no runtime file imports belongs in devDependencies; an imported one that
      // is not declared would work only through the workspace's hoisting.
      expect(declared).toEqual(used);
    });
  }
});
