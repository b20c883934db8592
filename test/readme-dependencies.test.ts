import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');

/** A `package.json` and the heading of its list in the README. */
const manifests = [
  { file: 'package.json', heading: '### Root `package.json`' },
  { file: 'packages/engine/package.json', heading: '### `packages/engine`' },
  { file: 'packages/server/package.json', heading: '### `packages/server`' },
  { file: 'packages/cli/package.json', heading: '### `packages/cli`' },
  { file: 'packages/web/package.json', heading: '### `packages/web`' },
] as const;

/** One line of a list: the packages it names and whether it marks them `(dev)`. */
interface ListedDependency {
  readonly name: string;
  readonly dev: boolean;
}

/** The text of the README's "Dependencies" section. */
function dependencySection(): string {
  const start = readme.indexOf('\n## Dependencies\n');
  expect(start, 'README.md has a "## Dependencies" section').toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/**
 * The packages listed under `heading`: each list item (`- `, continued on lines indented by two
 * spaces) starts with one or more backquoted names, comma-separated, each optionally marked
 * `(dev)`, then a colon and what they are for. Backquoted words after the colon are prose.
 */
function listedUnder(section: string, heading: string): ListedDependency[] {
  const start = section.indexOf(`\n${heading}`);
  expect(start, `README.md's Dependencies section has a heading "${heading}"`).toBeGreaterThanOrEqual(0);
  const next = section.indexOf('\n### ', start + 1);
  const items = section
    .slice(start, next < 0 ? undefined : next)
    .replace(/\n {2}/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith('- '));
  return items.flatMap((item) => {
    const names = /^- ((?:`[^`]+`(?: \(dev\))?(?:, )?)+): \S/.exec(item);
    expect(names, `"${item}" starts with its names and says what they are for after a colon`).not.toBeNull();
    return [...(names?.[1] ?? '').matchAll(/`([^`]+)`( \(dev\))?/g)].map((m) => ({
      name: m[1] ?? '',
      dev: m[2] !== undefined,
    }));
  });
}

function declared(file: string): { runtime: string[]; dev: string[] } {
  const manifest = JSON.parse(readFileSync(resolve(repoRoot, file), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return {
    runtime: Object.keys(manifest.dependencies ?? {}),
    dev: Object.keys(manifest.devDependencies ?? {}),
  };
}

describe("the README's list of dependencies", () => {
  const section = dependencySection();

  for (const { file, heading } of manifests) {
    it(`lists every dependency of ${file}, and nothing it does not declare`, () => {
      const { runtime, dev } = declared(file);
      const listed = listedUnder(section, heading);
      const names = listed.map((d) => d.name);
      const missing = [...runtime, ...dev].filter((name) => !names.includes(name)).sort();
      const stale = names.filter((name) => !runtime.includes(name) && !dev.includes(name)).sort();
      expect(missing, `declared in ${file} but without a line in README.md`).toEqual([]);
      expect(stale, `listed under ${heading} but not declared in ${file}`).toEqual([]);
      expect(
        names.filter((name, i) => names.indexOf(name) !== i),
        'listed twice',
      ).toEqual([]);
    });
  }

  it('marks the development dependencies of the packages (dev), and only them', () => {
    for (const { file, heading } of manifests.filter((m) => m.file !== 'package.json')) {
      const { dev } = declared(file);
      for (const { name, dev: markedDev } of listedUnder(section, heading)) {
        expect(markedDev, `${name} in ${file}`).toBe(dev.includes(name));
      }
    }
  });

  it('reads names, marks and purposes from a list item, not the names in its prose', () => {
    const sample = '\n### `packages/x`\n\n- `a`, `b` (dev): what `c` needs,\n  and `d`.\n- `@s/e`: more.\n';
    expect(listedUnder(sample, '### `packages/x`')).toEqual([
      { name: 'a', dev: false },
      { name: 'b', dev: true },
      { name: '@s/e', dev: false },
    ]);
  });
});
