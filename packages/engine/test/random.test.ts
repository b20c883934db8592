import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mulberry32, mulberry32Open, mulberry32Uint32 } from '../src/random/mulberry32.ts';

// Reference streams from a separate Python port of mulberry32 (Python integers masked to 32 bits:
// a += 1831565813 (mulberry32's increment); t = (t ^ t >> 15) * (t | 1); t ^= t + (t ^ t >> 7) * (t | 61); t ^ t >> 14).
const reference: Record<number, number[]> = {
  0: [1144304738, 1416247, 958946056, 627933444],
  42: [2581720956, 1925393290, 3661312704, 2876485805],
  // 2^32 + 7: only the low 32 bits of the seed matter.
  4294967303: [50271532, 266108690, 4195786334, 3002305430],
};

describe('mulberry32, the one seeded generator', () => {
  it('produces the reference 32-bit stream for a seed', () => {
    for (const [seed, expected] of Object.entries(reference)) {
      const next = mulberry32Uint32(Number(seed));
      expect(expected.map(() => next())).toEqual(expected);
    }
  });

  it('gives [0, 1) draws as u / 2^32 and (0, 1) draws as (u + 1) / (2^32 + 1) of the same stream', () => {
    const closed = mulberry32(42);
    const open = mulberry32Open(42);
    for (const u of reference[42]!) {
      expect(closed()).toBe(u / 2 ** 32);
      expect(open()).toBe((u + 1) / (2 ** 32 + 1));
    }
  });

  it('repeats a stream for the same seed and keeps open draws strictly inside (0, 1)', () => {
    const a = mulberry32Open(7);
    const b = mulberry32Open(7);
    for (let i = 0; i < 10_000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x > 0 && x < 1).toBe(true);
    }
  });
});

describe('one seeded generator in the repository', () => {
  const root = resolve(import.meta.dirname, '../../..');
  const folders = ['packages/engine', 'packages/server', 'packages/cli'].flatMap((p) => [
    `${p}/src`,
    `${p}/test`,
  ]);
  const files = [...folders, 'test', 'bench', 'examples'].flatMap((folder) =>
    readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|mjs|js)$/.test(e.name))
      .map((e) => relative(root, join(e.parentPath, e.name))),
  );
  // What a copy of each generator cannot do without: mulberry32's Weyl increment, and xoshiro128**'s
  // output scrambler rotl(b·5, 7)·9. Built from parts so that this file does not match itself.
  const signatures: [string, RegExp, string][] = [
    ['mulberry32', new RegExp(['0x6d2b', '79f5'].join(''), 'i'), 'packages/engine/src/random/mulberry32.ts'],
    [
      'xoshiro128**',
      new RegExp(['Math\\.imul\\(\\s*rotl', '\\('].join('')),
      'packages/engine/src/synth/random.ts',
    ],
  ];

  it('scans the sources, tests, benchmarks and examples (the scan sees the two generators)', () => {
    expect(files).toContain('packages/engine/src/random/mulberry32.ts');
    expect(files).toContain('packages/engine/src/synth/random.ts');
    expect(files.length).toBeGreaterThan(300);
  });

  for (const [name, pattern, home] of signatures) {
    it(`has ${name} in ${home} only`, () => {
      const holders = files.filter((f) => pattern.test(readFileSync(join(root, f), 'utf8')));
      expect(holders).toEqual([home]);
    });
  }

  it('draws no unseeded Math.random in the packages', () => {
    const unseeded = files.filter(
      (f) => f.startsWith('packages/') && /Math\.random\(/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(unseeded).toEqual([]);
  });
});
