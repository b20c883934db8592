import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilities, capabilityTasks } from '../src/capabilities.ts';
import type { CapabilityModule } from '../src/capability.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { tasks } from '../src/workers/tasks.ts';

const src = resolve(import.meta.dirname, '../src');
const modules: readonly CapabilityModule<string, unknown>[] = capabilities;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Specifiers a file imports at load time: static `import`/`export … from`, not `import type` nor `import()`. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gms)) {
    if (!match[1]) specifiers.push(match[2] as string);
  }
  for (const match of text.matchAll(/^import\s+'([^']+)'/gm)) specifiers.push(match[1] as string);
  return specifiers;
}

/** Every file and package a module loads at run time, transitively (relative files resolved). */
function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  }
  return { files, packages };
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('capability modules', () => {
  it('builds one engine service per registered module, named by the module', async () => {
    engine = await openEngine({ path: ':memory:', workers: { threads: 1 } });
    const names = modules.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(engine[name as keyof Engine]).toBeTypeOf('object');
    expect(names).toEqual([
      'incidents',
      'auth',
      'recurrence',
      'anomalies',
      'kpis',
      'models',
      'insights',
      'costs',
      'heatmaps',
      'dashboards',
      'webhooks',
      'jobs',
    ]);
  });

  it('assembles the worker task table from the modules', () => {
    const declared = modules.flatMap((m) => Object.keys(m.tasks ?? {}));
    expect(Object.keys(capabilityTasks()).sort()).toEqual([...declared].sort());
    for (const name of declared) expect(tasks[name]).toBe(capabilityTasks()[name]);
    expect(Object.keys(tasks).sort()).toEqual(
      [
        'anomaly.behavioral',
        'anomaly.detect',
        'anomaly.isolation-forest',
        'arrow.echo',
        'arrow.sum',
        'models.forecast',
        'models.learn.boosted',
        'models.learn.forest-part',
        'models.learn.histogram-helper',
        'models.learn.predict',
        'models.learn.train',
        'recurrence.find',
      ].sort(),
    );
  });

  it('keeps the worker entry free of services and DuckDB', () => {
    const { files, packages } = loadedBy(join(src, 'workers/kernel.worker.ts'));
    expect([...packages].filter((p) => p.startsWith('@duckdb/'))).toEqual([]);
    const loaded = [...files].map((f) => relative(src, f));
    expect(loaded.filter((f) => f.startsWith('store/') && !f.startsWith('store/migrations'))).toEqual([]);
    expect(loaded.filter((f) => f.endsWith('-service.ts'))).toEqual([]);
    expect(loaded).toContain('anomaly/tasks/detect-task.ts');
  });

  it('lets only store/ import DuckDB', () => {
    const offenders = sourceFiles(src)
      .filter((f) => !relative(src, f).startsWith('store/'))
      .filter((f) => /from '@duckdb\/|import\('@duckdb\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});

describe('the incident-write hook', () => {
  const base = {
    title: 'Checkout latency',
    severity: 'HIGH',
    service: 'checkout',
    acknowledged_at: '2024-05-01T10:04:00Z',
    resolved_at: '2024-05-01T11:30:00Z',
  } as const;

  async function dirtyHours(): Promise<string[]> {
    const rows = await internalContext(engine as Engine).db.all<{ hour: Date }>(
      'SELECT DISTINCT hour FROM kpi_dirty_hours ORDER BY hour',
    );
    return rows.map((r) => r.hour.toISOString());
  }

  it('tells the KPI rollups the hours that updates, re-ingestion and deletes leave', async () => {
    const clock = new Date('2024-05-02T00:00:00Z');
    engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
    await engine.incidents.ingest({
      records: [
        { ...base, external_id: 'A', created_at: '2024-05-01T10:00:00Z' },
        {
          ...base,
          external_id: 'B',
          created_at: '2024-05-01T12:30:00Z',
          resolved_at: '2024-05-01T13:00:00Z',
          acknowledged_at: null,
        },
      ],
    });
    await engine.kpis.summary(); // builds the rollups: from now on writes are announced to them
    expect(await dirtyHours()).toEqual([]);

    // Re-ingesting A unchanged moves nothing; moving B an hour later leaves 12:00.
    await engine.incidents.ingest({
      records: [
        { ...base, external_id: 'A', created_at: '2024-05-01T10:00:00Z' },
        {
          ...base,
          external_id: 'B',
          created_at: '2024-05-01T13:30:00Z',
          resolved_at: '2024-05-01T14:00:00Z',
          acknowledged_at: null,
        },
      ],
    });
    expect(await dirtyHours()).toEqual(['2024-05-01T12:00:00.000Z']);

    // A service change leaves the incident's hour (10:00) for the caches keyed by service.
    const a = (await engine.incidents.list({})).results.find((i) => i.external_id === 'A');
    await engine.incidents.update(a?.id as string, { service: 'payments' });
    expect(await dirtyHours()).toEqual(['2024-05-01T10:00:00.000Z', '2024-05-01T12:00:00.000Z']);

    await engine.kpis.summary(); // the refresh consumes the marks
    expect(await dirtyHours()).toEqual([]);
    const b = (await engine.incidents.list({})).results.find((i) => i.external_id === 'B');
    await engine.incidents.delete(b?.id as string);
    expect(await dirtyHours()).toEqual(['2024-05-01T13:00:00.000Z']);
  });
});
