import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { createApp } from '@incident-insights/server';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/program.ts';

const root = resolve(import.meta.dirname, '../../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const spec = readFileSync(resolve(root, '../shared/spec/analytics-api.txt'), 'utf8');

interface StatusRow {
  section: string;
  status: string;
  items: string[];
}

/** The rows of the README's "What is built" table. */
function statusRows(): StatusRow[] {
  const start = readme.indexOf('## What is built');
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return section
    .split('\n')
    .filter(
      (line) => line.startsWith('| ') && !line.startsWith('| spec section') && !line.startsWith('| ---'),
    )
    .map((line) => {
      const [name, status, items] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
      return {
        section: name ?? '',
        status: status ?? '',
        items: [...(items ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''),
      };
    });
}

/** `METHOD /path/` of every operation the server documents, relative to /api/analytics. */
async function servedEndpoints(): Promise<Set<string>> {
  const engine = await openEngine({ path: ':memory:' });
  try {
    const response = await createApp(engine, { logger: false }).request('/api/openapi.json');
    const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const served = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        served.add(`${method.toUpperCase()} ${path.replace(/^\/api\/analytics/, '')}`);
      }
    }
    return served;
  } finally {
    await engine.close();
  }
}

describe("the README's table of what is built", () => {
  it('names every endpoint and management command of the spec', () => {
    const listed = new Set(statusRows().flatMap((row) => row.items));
    const endpoints = [...spec.matchAll(/^(GET|POST) \/api\/analytics(\/\S+)$/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    const commands = [...spec.matchAll(/^python manage\.py (\w+)/gm)].map((m) => m[1] ?? '');
    expect(endpoints.length).toBeGreaterThan(20);
    expect(commands).toEqual(['calculate_kpis', 'run_anomaly_detection', 'train_predictive_models']);
    for (const item of [...endpoints, ...commands]) expect(listed, item).toContain(item);
  });

  it('marks built what the server serves and not yet what it does not', async () => {
    const served = await servedEndpoints();
    for (const row of statusRows()) {
      expect(['built', 'partly built', 'not yet'], row.section).toContain(row.status);
      for (const item of row.items.filter((i) => /^(GET|POST) /.test(i))) {
        expect(served.has(item), `${row.section}: ${item} is ${row.status}`).toBe(row.status !== 'not yet');
      }
    }
  });

  it('marks the management commands as the CLI has them', () => {
    const names = buildProgram().commands.map((c) => c.name());
    const row = statusRows().find((r) => r.section === 'Management commands');
    expect(row?.status).toBe('built');
    expect(names).toContain('calculate-kpis');
    expect(names).toContain('run-anomaly-detection');
    expect(names).toContain('train-predictive-models');
  });
});
