import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runInsights } from './support/run-cli.ts';
import { listeningUrl, type ServeProcess, spawnServe } from './support/serve-process.ts';

// The spec's "Python Client Example" run as a user would run it: python3 with requests against a
// real `insights serve` process on a database file. The serve process reads the real clock, and
// INCIDENT_PREDICTION trains on the last 90 days before it, so the incidents are placed in the 60
// days before the hour the test starts; what is asserted (201, then ACTIVE) does not depend on it.

const dir = mkdtempSync(join(tmpdir(), 'insights-python-example-'));
const db = join(dir, 'example.duckdb');
let served: ServeProcess | undefined;
let url = '';
let token = '';
/** The model the Python example created and trained. */
let modelId = '';

beforeAll(async () => {
  const engine = await openEngine({ path: db });
  try {
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await loadSyntheticIncidents(engine, { seed: 5, count: 2000, days: 60, end });
    await engine.auth.createUser({ username: 'ana', password: 'password-ana', role: 'analyst' });
    token = (await engine.auth.createToken({ user: 'ana', name: 'python' })).key;
  } finally {
    await engine.close();
  }
  served = spawnServe(db, ['--no-schedule']);
  url = await listeningUrl(served);
}, 90_000);

afterAll(async () => {
  served?.child.kill('SIGTERM');
  await served?.exited;
  rmSync(dir, { recursive: true, force: true });
});

/** The spec's "Python Client Example", verbatim, cut out of the spec file. */
function specPythonExample(): string {
  const spec = readFileSync(resolve(repoRoot, '../shared/spec/analytics-api.txt'), 'utf8');
  const start = spec.indexOf('Python Client Example');
  const end = spec.indexOf('JavaScript Client Example');
  const script = spec.slice(spec.indexOf('\n', start) + 1, end);
  expect(script).toContain("'model_config': {'n_estimators': 100}");
  return script;
}

/** Runs `script` with /usr/bin/python3; the wrapper execs it unchanged and prints what it ended with. */
async function runPython(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const wrapper = [
    'import json, sys',
    'ns = {}',
    'exec(sys.stdin.read(), ns)',
    "print(json.dumps({'kpi_summary': ns['kpi_summary'], 'model': ns['model'], 'status': ns['response'].status_code}))",
  ].join('\n');
  const child = execFile('/usr/bin/python3', ['-c', wrapper], { timeout: 60_000 });
  child.stdin?.end(script);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, stdout, stderr };
}

async function api<T>(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      Authorization: `Token ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

interface Model {
  id: string;
  status: string;
  version: string;
  training_samples_count: number | null;
  error_message?: string | null;
}

describe("the spec's Python client example against insights serve", () => {
  it('creates its model (201), which then trains to ACTIVE through train/ and the job', async () => {
    const script = specPythonExample()
      .replaceAll('https://api.example.com', url)
      .replaceAll('your-token-here', token);
    const run = await runPython(script);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      kpi_summary: unknown;
      model: Model & Record<string, unknown>;
      status: number;
    };
    expect(Array.isArray(result.kpi_summary)).toBe(true);
    expect(result.status).toBe(201);
    expect(result.model).toMatchObject({
      name: 'Incident Predictor',
      description: 'Predicts incident occurrence',
      model_type: 'INCIDENT_PREDICTION',
      algorithm_type: 'RANDOM_FOREST',
      model_config: { n_estimators: 100 },
      status: 'INACTIVE',
    });

    // With nothing but n_estimators, the model trains with the defaults of its type.
    const id = result.model.id;
    const queued = await api<{ id: string; kind: string }>(
      `/api/analytics/predictive-models/${id}/train/`,
      'POST',
      {},
    );
    expect(queued.status).toBe(202);
    expect(queued.body.kind).toBe('train_predictive_models');
    let job = { status: 'QUEUED', error: null as unknown };
    for (let waited = 0; !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status); waited += 200) {
      if (waited > 60_000) throw new Error('the training job did not finish');
      await new Promise((done) => setTimeout(done, 200));
      job = (await api<typeof job>(`/api/jobs/${queued.body.id}/`)).body;
    }
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    const model = (await api<Model>(`/api/analytics/predictive-models/${id}/`)).body;
    expect(model).toMatchObject({ status: 'ACTIVE', version: '1', error_message: null });
    expect(model.training_samples_count).toBeGreaterThan(0);
    modelId = id;
  }, 120_000);
});

describe('the CLI beside the same server', () => {
  it('sends train-predictive-models and cleanup to the server as jobs', async () => {
    // The server holds the database file, so the commands can only work through it.
    const train = await runInsights(['--db', db, 'train-predictive-models', '--model-id', modelId, '--json']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const [outcome] = JSON.parse(train.stdout) as { model_id: string; status: string; version: string }[];
    expect(outcome).toMatchObject({ model_id: modelId, status: 'ACTIVE', version: '2' });
    const cleanup = await runInsights(['--db', db, 'cleanup', '--json']);
    expect(cleanup.code, cleanup.stderr).toBe(0);
    expect(JSON.parse(cleanup.stdout)).toEqual({
      insights_deleted: 0,
      measurements_deleted: 0,
      jobs_deleted: 0,
    });
    const jobs = (await api<{ results: { kind: string; status: string }[] }>('/api/jobs/?page_size=100'))
      .body;
    const kinds = jobs.results.filter((j) => j.status === 'SUCCEEDED').map((j) => j.kind);
    expect(kinds.filter((k) => k === 'train_predictive_models')).toHaveLength(2);
    expect(kinds).toContain('cleanup');
  }, 90_000);
});
