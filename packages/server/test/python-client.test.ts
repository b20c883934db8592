import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

const specPath = path.resolve(import.meta.dirname, '../../..', '../shared/spec/analytics-api.txt');

/** The spec's "Python Client Example", verbatim, cut out of the spec file. */
function specPythonExample(): string {
  const spec = readFileSync(specPath, 'utf8');
  const start = spec.indexOf('Python Client Example');
  const end = spec.indexOf('JavaScript Client Example');
  const script = spec.slice(spec.indexOf('\n', start) + 1, end);
  expect(script).toContain('import requests');
  return script;
}

describe("the spec's Python client example", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ app: { rateLimit: {} } });
  });
  afterAll(() => s.close());

  it('runs unchanged (apart from base URL and token) with python3-requests against the server', async () => {
    const script = specPythonExample()
      .replaceAll('https://api.example.com', s.url)
      .replaceAll('your-token-here', s.tokens.analyst);
    // The script is executed as is; the wrapper only reports what it ended with.
    const wrapper = [
      'import json, sys',
      'ns = {}',
      'exec(sys.stdin.read(), ns)',
      "print(json.dumps({'kpi_summary': ns['kpi_summary'], 'model': ns['model'], 'status': ns['response'].status_code}))",
    ].join('\n');
    const child = execFile('/usr/bin/python3', ['-c', wrapper], { timeout: 60_000 });
    child.stdin?.end(script);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      kpi_summary: unknown;
      model: Record<string, unknown>;
      status: number;
    };
    // GET /api/analytics/kpi-metrics/summary/ answers the spec's array of summaries.
    expect(Array.isArray(result.kpi_summary)).toBe(true);
    // POST /api/analytics/predictive-models/ creates the model (analysts may create models).
    expect(result.status).toBe(201);
    expect(result.model).toMatchObject({
      name: 'Incident Predictor',
      description: 'Predicts incident occurrence',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 100 },
    });
    expect(result.model['id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
