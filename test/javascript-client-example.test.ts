import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli.ts';
import { startServer, type TestServer } from './support/test-server.ts';

// The spec's "JavaScript Client Example" run as a browser-less user would: the snippet, cut out of
// the spec, under a separate Node process's global fetch against a real HTTP server. Only the
// dashboard id, the base URL (Node's fetch needs an absolute one) and the token are substituted.
// The clock is pinned to Friday 2024-03-15 12:00 UTC.

const now = new Date('2024-03-15T12:00:00Z');
let server: TestServer;
let dashboardId = '';

beforeAll(async () => {
  server = await startServer({
    engine: { now: () => now },
    jobs: { schedules: false },
    populate: async (engine) => {
      await engine.incidents.ingest({
        records: [{ external_id: 'A', title: 'a', severity: 'HIGH', created_at: '2024-03-14T09:00:00Z' }],
      });
    },
  });
  const created = await server.fetch('/api/analytics/dashboard-configurations/', {
    method: 'POST',
    as: 'analyst',
    json: {
      name: 'Operations',
      dashboard_type: 'OPERATIONAL',
      layout_config: { rows: 1, columns: 3 },
      widget_configs: [
        { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 1, height: 1 } },
        { type: 'anomaly_summary', position: { row: 0, column: 1 }, size: { width: 1, height: 1 } },
        { type: 'recent_insights', position: { row: 0, column: 2 }, size: { width: 1, height: 1 } },
      ],
      allowed_roles: ['viewer'],
    },
  });
  expect(created.status).toBe(201);
  dashboardId = String(((await created.json()) as { id: string }).id);
}, 60_000);

afterAll(async () => {
  await server.close();
  await server.engine.close();
});

/** The spec's "JavaScript Client Example", verbatim, cut out of the spec file. */
function specJavaScriptExample(): string {
  const spec = readFileSync(resolve(repoRoot, '../shared/spec/analytics-api.txt'), 'utf8');
  const start = spec.indexOf('JavaScript Client Example');
  const end = spec.indexOf('Best Practices', start);
  const script = spec.slice(spec.indexOf('\n', start) + 1, end);
  expect(script).toContain("fetch('/api/analytics/dashboard/123/data/'");
  expect(script).toContain("'Authorization': 'Token your-token-here'");
  return script;
}

/** Runs `script` under `node`; what it logs is captured as JSON, one line per `console.log`. */
async function runNode(
  script: string,
): Promise<{ code: number | null; logged: unknown[][]; stderr: string }> {
  const capture = 'const log = console.log; console.log = (...args) => log(JSON.stringify(args));\n';
  const child = execFile(process.execPath, ['--input-type=commonjs', '-'], { timeout: 30_000 });
  child.stdin?.end(capture + script);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const logged = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown[]);
  return { code, logged, stderr };
}

describe("the spec's JavaScript client example", () => {
  it('gets the dashboard data under Node fetch', async () => {
    const script = specJavaScriptExample()
      .replace(
        "'/api/analytics/dashboard/123/data/'",
        `'${server.url}/api/analytics/dashboard/${dashboardId}/data/'`,
      )
      .replace('your-token-here', server.tokens.viewer);
    const { code, logged, stderr } = await runNode(script);
    expect([code, stderr]).toEqual([0, '']);
    expect(logged).toHaveLength(1);
    const [label, data] = logged[0] as [string, Record<string, unknown>];
    expect(label).toBe('Dashboard data:');
    // What the same request answers in the test, keys of the three widgets and when computed.
    const direct = await server.fetch(`/api/analytics/dashboard/${dashboardId}/data/`, { as: 'viewer' });
    expect(data).toEqual(await direct.json());
    expect(Object.keys(data).sort()).toEqual([
      'anomaly_summary',
      'kpi_summary',
      'last_updated',
      'recent_insights',
    ]);
    expect(data['recent_insights']).toEqual([]);
    expect(data['last_updated']).toBe(now.toISOString());
  });
});
