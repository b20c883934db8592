import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import * as synth from '../src/synth/index.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const clock = new Date('2024-05-01T12:34:56Z');

/** Every `.ts` / `.mjs` file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

describe('the engine as the shells see it', () => {
  it('keeps its context private and answers clock, readiness and worker load through methods', async () => {
    const engine = await main.openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
    try {
      expect('context' in engine).toBe(false);
      expect(Object.keys(engine)).not.toContain('context');
      expect(engine.now()).toEqual(clock);
      await expect(engine.ping()).resolves.toBeUndefined();
      expect(engine.workerStats()).toMatchObject({ threads: expect.any(Number), queueSize: 0 });
      // The documented way past the API, for the engine's own tests and benchmarks:
      expect(internalContext(engine).now()).toEqual(clock);
    } finally {
      await engine.close();
    }
    await expect(engine.ping()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('exports services as types only and the generator from the synth subpath alone', () => {
    for (const name of [
      'KpiService',
      'AnomalyService',
      'AuthService',
      'IncidentService',
      'RecurrenceService',
    ]) {
      expect(main).not.toHaveProperty(name);
    }
    expect(main).not.toHaveProperty('AnomalyThresholdStore');
    for (const name of ['generateIncidents', 'loadSyntheticIncidents', 'writeSyntheticCsv']) {
      expect(main).not.toHaveProperty(name);
      expect(synth).toHaveProperty(name);
    }
    expect(typeof main.detectAnomalies).toBe('function');
    expect(typeof main.openEngine).toBe('function');
  });

  it('maps every subpath export to its source, and no shell reaches the context or the internals', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages/engine/package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './internal', './synth', './vocabulary']);
    for (const entry of Object.values(manifest.exports)) {
      const source = entry['@incident-insights/source']!;
      expect(statSync(join(repoRoot, 'packages/engine', source)).isFile()).toBe(true);
      expect(entry['default']).toBe(source.replace('./src/', './dist/').replace(/\.ts$/, '.js'));
    }
    const shells = ['packages/server/src', 'packages/cli/src', 'examples'].flatMap((dir) =>
      sourceFiles(join(repoRoot, dir)),
    );
    expect(shells.length).toBeGreaterThan(20);
    const offenders = shells.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return /\bengine\.context\b/.test(text) || text.includes('@incident-insights/engine/internal');
    });
    expect(offenders).toEqual([]);
  });
});
