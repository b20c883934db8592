import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { readRuntimeFile } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInsights } from '../../../test/support/run-cli.ts';
import { type ServeProcess, spawnServe } from '../../../test/support/serve-process.ts';

// One database with two incidents, a stored heatmap and a dashboard of a KPI table and a heatmap
// (one chart); `served.duckdb` is a copy held by `insights serve`, so the command goes through it.
const dir = mkdtempSync(join(tmpdir(), 'insights-report-'));
const alone = join(dir, 'alone.duckdb');
const served = join(dir, 'served.duckdb');
const unknown = '00000000-0000-4000-8000-000000000000';
let dashboardId = '';
let serve: ServeProcess | undefined;

beforeAll(async () => {
  const engine = await openEngine({ path: alone, now: () => new Date('2024-03-15T12:00:00Z') });
  try {
    await engine.incidents.ingest({
      records: [
        {
          external_id: 'A',
          title: 'a',
          severity: 'HIGH',
          service: 'api',
          created_at: '2024-03-04T09:15:00Z',
        },
        { external_id: 'B', title: 'b', severity: 'LOW', service: 'db', created_at: '2024-03-12T14:00:00Z' },
      ],
    });
    await engine.heatmaps.refresh({ heatmapType: 'INCIDENT_FREQUENCY', timeGranularity: 'HOURLY' });
    const dashboard = await engine.dashboards.create({
      name: 'Ops <board>',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 2, columns: 1 },
      widget_configs: [
        { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 1, height: 1 } },
        { type: 'heatmap', position: { row: 1, column: 0 }, size: { width: 1, height: 1 } },
      ],
    });
    dashboardId = dashboard.id;
  } finally {
    await engine.close();
  }
  copyFileSync(alone, served);
  if (existsSync(`${alone}.wal`)) copyFileSync(`${alone}.wal`, `${served}.wal`);
  serve = spawnServe(served, ['--no-schedule']);
  for (let waited = 0; !readRuntimeFile(served); waited += 100) {
    if (serve.child.exitCode !== null || waited > 90_000)
      throw new Error(`serve did not start: ${serve.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  serve?.child.kill('SIGTERM');
  await serve?.exited;
  rmSync(dir, { recursive: true, force: true });
});

function expectReport(file: string) {
  const html = readFileSync(file, 'utf8');
  expect(html).toContain('<h1>Ops &lt;board&gt;</h1>');
  expect(html.match(/<svg[\s>]/g)).toHaveLength(1);
  expect(html).toContain('Monday');
  expect(html.toLowerCase()).not.toContain('<script');
}

describe('insights report', () => {
  it('writes the report from the database alone, and --json says where', async () => {
    const out = join(dir, 'alone.html');
    const run = await runInsights([
      '--db',
      alone,
      'report',
      '--dashboard',
      dashboardId,
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { dashboard: string; path: string; bytes: number };
    expect(printed).toEqual({ dashboard: dashboardId, path: out, bytes: readFileSync(out).length });
    expectReport(out);
  });

  it('fetches the report through the server that holds the database', async () => {
    const out = join(dir, 'served.html');
    const run = await runInsights(['--db', served, 'report', '--dashboard', dashboardId, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      `Wrote the report of dashboard ${dashboardId} to ${out} (${readFileSync(out).length} bytes).\n`,
    );
    expectReport(out);
  });

  it('fails in one line, writing nothing, for an unknown dashboard (alone and through the server)', async () => {
    for (const db of [alone, served]) {
      const out = join(dir, 'unknown.html');
      const run = await runInsights(['--db', db, 'report', '--dashboard', unknown, '--out', out]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^insights: .*not found[^\n]*\n$/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('fails in one line for a path it cannot write, before reading anything', async () => {
    const run = await runInsights([
      '--db',
      alone,
      'report',
      '--dashboard',
      dashboardId,
      '--out',
      join(dir, 'missing', 'report.html'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `insights: cannot write the report to ${join(dir, 'missing', 'report.html')}: ENOENT\n`,
    );
    const notAnId = await runInsights([
      '--db',
      alone,
      'report',
      '--dashboard',
      'board',
      '--out',
      join(dir, 'x.html'),
    ]);
    expect(notAnId.code).toBe(2);
    expect(notAnId.stderr).toBe('insights: --dashboard must be an id (a UUID), not board\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === 'x.html')).toEqual([]);
  });
});
