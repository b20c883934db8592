import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');
const depcruise = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const sources = ['packages/engine/src', 'packages/server/src', 'packages/cli/src'];

/** Runs dependency-cruiser with the repository's rules, as `npm run check:cycles` does. */
function cruise(paths: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [depcruise, ...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      { cwd: repoRoot },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, output: stdout + stderr });
      },
    );
  });
}

describe('import graph', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cycle-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has no import cycle in any package source (type-only imports included)', async () => {
    const { code, output } = await cruise(sources);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('the check does catch a cycle, even one made of type-only imports', async () => {
    writeFileSync(join(scratch, 'a.ts'), "import type { B } from './b.ts';\nexport interface A { b?: B }\n");
    writeFileSync(join(scratch, 'b.ts'), "import type { A } from './a.ts';\nexport interface B { a?: A }\n");
    const { code, output } = await cruise([scratch]);
    expect(output).toContain('no-circular');
    expect(code).not.toBe(0);
  });
});
