import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../test/support/kpi-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

interface JobBody {
  id: string;
  kind: string;
  scope: string;
  parameters: Record<string, unknown>;
  status: string;
  progress: { done: number; total: number | null; message: string | null };
  attempts: number;
  cancel_requested: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: unknown;
  error: { code: string; message: string } | null;
  requested_by: string | null;
  requested_by_username: string;
  schedule: string | null;
}
interface ErrorBody {
  error: string;
  details: Record<string, unknown> | null;
  code: string;
}
interface JobPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: JobBody[];
}

async function json<T>(response: Response, status: number): Promise<T> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  return (body ? JSON.parse(body) : null) as T;
}

// The clock is at 2024-01-02T00:00Z and the data are test/support/kpi-fixtures.ts's hand-worked incidents.
const now = new Date('2024-01-02T00:00:00Z');

/** A server whose jobs never run (no runner): every job stays as the request left it. */
let idle: TestServer;
/** A server that runs queued jobs (no schedule), polling the queue every 50 ms. */
let running: TestServer;

beforeAll(async () => {
  idle = await startServer({ engine: { now: () => now }, jobs: false, populate: loadHandIncidents });
  running = await startServer({
    engine: { now: () => now },
    jobs: { schedules: false, pollMs: 50 },
    populate: loadHandIncidents,
  });
});
afterAll(async () => {
  await idle.close();
  await running.close();
});

/** Follows a job through `GET /api/jobs/{id}/` until its status is final. */
async function finished(server: TestServer, id: string): Promise<JobBody> {
  for (let i = 0; i < 400; i++) {
    const job = await json<JobBody>(await server.fetch(`/api/jobs/${id}/`, { as: 'viewer' }), 200);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('POST /api/jobs/', () => {
  it('queues a job (202) for an analyst, with Location, and records who asked', async () => {
    const response = await idle.fetch('/api/jobs/', {
      method: 'POST',
      as: 'analyst',
      json: { kind: 'calculate_kpis', parameters: { time_window: 24, end: '2024-01-01T00:00:00Z' } },
    });
    const job = await json<JobBody>(response, 202);
    expect(response.headers.get('Location')).toBe(`/api/jobs/${job.id}/`);
    expect(response.headers.get('X-Job-Deduplicated')).toBe('false');
    expect(job).toMatchObject({
      kind: 'calculate_kpis',
      status: 'QUEUED',
      parameters: { time_window: 24, end: '2024-01-01T00:00:00Z' },
      attempts: 0,
      started_at: null,
      finished_at: null,
      result: null,
      error: null,
      requested_by_username: 'analyst',
      schedule: null,
      created_at: now.toISOString(),
    });
    expect(job.requested_by).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an equal request (same kind and scope) with the job already queued', async () => {
    const body = { kind: 'analyze_recurrence', parameters: { time_window: 48, end: '2024-01-02T00:00:00Z' } };
    const first = await json<JobBody>(
      await idle.fetch('/api/jobs/', { method: 'POST', as: 'admin', json: body }),
      202,
    );
    const again = await idle.fetch('/api/jobs/', { method: 'POST', as: 'analyst', json: body });
    expect(again.headers.get('X-Job-Deduplicated')).toBe('true');
    expect((await json<JobBody>(again, 202)).id).toBe(first.id);
    // The action route asks for the same kind and scope: the same job again.
    const action = await idle.fetch('/api/analytics/recurrence-analyses/run/', {
      method: 'POST',
      as: 'analyst',
      json: body.parameters,
    });
    expect((await json<JobBody>(action, 202)).id).toBe(first.id);
    // Another scope is another job.
    const other = await json<JobBody>(
      await idle.fetch('/api/jobs/', {
        method: 'POST',
        as: 'admin',
        json: { kind: 'analyze_recurrence', parameters: { time_window: 24, end: '2024-01-02T00:00:00Z' } },
      }),
      202,
    );
    expect(other.id).not.toBe(first.id);
  });

  it('refuses an unknown kind, bad parameters and unknown fields with 400 and the error body, queuing nothing', async () => {
    const before = (await json<JobPage>(await idle.fetch('/api/jobs/', { as: 'viewer' }), 200)).count;
    const post = (body: unknown) => idle.fetch('/api/jobs/', { method: 'POST', as: 'admin', json: body });

    const kind = await json<ErrorBody>(await post({ kind: 'make_coffee' }), 400);
    expect(kind.code).toBe('VALIDATION_ERROR');
    expect(kind.error).toContain('make_coffee');
    expect(kind.details).toMatchObject({
      field: 'kind',
      accepted: expect.arrayContaining(['calculate_kpis', 'run_anomaly_detection', 'analyze_recurrence']),
    });

    const window = await json<ErrorBody>(
      await post({ kind: 'calculate_kpis', parameters: { time_window: 0 } }),
      400,
    );
    // The engine's error as it is: what the same request gives in-process, for the CLI beside the server.
    expect(window.code).toBe('VALIDATION_ERROR');
    expect(window.error).toBe('invalid parameters for calculate_kpis');
    expect(window.details?.['errors']).toEqual([
      { field: 'parameters.time_window', message: expect.any(String) },
    ]);

    const unknownParameter = await json<ErrorBody>(
      await post({ kind: 'calculate_kpis', parameters: { metric: 'MTTA' } }),
      400,
    );
    expect(unknownParameter.details?.['errors']).toEqual([
      { field: 'parameters.metric', message: 'unknown field' },
    ]);

    const unknownField = await json<ErrorBody>(await post({ kind: 'calculate_kpis', params: {} }), 400);
    expect(unknownField).toMatchObject({
      error: 'Unknown field params (accepted: kind, parameters)',
      code: 'VALIDATION_ERROR',
      details: { accepted: ['kind', 'parameters'] },
    });

    const noKind = await json<ErrorBody>(await post({}), 400);
    expect(noKind.details?.['errors']).toEqual([{ field: 'kind', message: expect.any(String) }]);

    expect((await json<JobPage>(await idle.fetch('/api/jobs/', { as: 'viewer' }), 200)).count).toBe(before);
  });

  it('refuses a viewer (403), who may still read jobs', async () => {
    const refused = await json<ErrorBody>(
      await idle.fetch('/api/jobs/', { method: 'POST', as: 'viewer', json: { kind: 'calculate_kpis' } }),
      403,
    );
    expect(refused.code).toBe('FORBIDDEN');
    for (const path of [
      '/api/analytics/kpi-metrics/calculate/',
      '/api/analytics/anomaly-detections/run/',
      '/api/analytics/recurrence-analyses/run/',
    ]) {
      const action = await json<ErrorBody>(
        await idle.fetch(path, { method: 'POST', as: 'viewer', json: {} }),
        403,
      );
      expect(action.code).toBe('FORBIDDEN');
    }
    await json(await idle.fetch('/api/jobs/', { as: 'viewer' }), 200);
    expect((await idle.fetch('/api/jobs/')).status).toBe(401);
  });
});

describe('GET /api/jobs/', () => {
  it('lists newest first, filters by kind and status, and paginates with links', async () => {
    const queued: JobBody[] = [];
    for (const hours of [1, 2, 3]) {
      queued.push(
        await json<JobBody>(
          await idle.fetch('/api/jobs/', {
            method: 'POST',
            as: 'admin',
            json: {
              kind: 'run_anomaly_detection',
              parameters: { time_window: hours, end: '2024-01-02T00:00:00Z' },
            },
          }),
          202,
        ),
      );
    }
    const page = await json<JobPage>(
      await idle.fetch('/api/jobs/?kind=run_anomaly_detection&status=QUEUED&page_size=2', { as: 'viewer' }),
      200,
    );
    expect(page.count).toBe(3);
    expect(page.results.every((j) => j.kind === 'run_anomaly_detection' && j.status === 'QUEUED')).toBe(true);
    expect(page.previous).toBeNull();
    expect(page.next).toBe(
      `${idle.url}/api/jobs/?kind=run_anomaly_detection&status=QUEUED&page_size=2&page=2`,
    );
    const second = await json<JobPage>(
      await idle.fetch(new URL(page.next!).pathname + new URL(page.next!).search, { as: 'viewer' }),
      200,
    );
    expect([...page.results, ...second.results].map((j) => j.id).sort()).toEqual(
      queued.map((j) => j.id).sort(),
    );
    expect(
      (await json<JobPage>(await idle.fetch('/api/jobs/?status=SUCCEEDED', { as: 'viewer' }), 200)).count,
    ).toBe(0);

    const status = await json<ErrorBody>(await idle.fetch('/api/jobs/?status=DONE', { as: 'viewer' }), 400);
    expect(status.error).toBe(
      'Invalid query parameter status: must be one of QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED',
    );
    const kind = await json<ErrorBody>(await idle.fetch('/api/jobs/?kind=coffee', { as: 'viewer' }), 400);
    expect(kind).toMatchObject({ code: 'VALIDATION_ERROR', details: { parameter: 'kind' } });
    const unknown = await json<ErrorBody>(await idle.fetch('/api/jobs/?state=QUEUED', { as: 'viewer' }), 400);
    expect(unknown.error).toMatch(/^Unknown query parameter state/);
  });

  it('shows one job, 404 for an unknown id and 400 for a malformed one', async () => {
    const job = await json<JobBody>(
      await idle.fetch('/api/jobs/', {
        method: 'POST',
        as: 'admin',
        json: { kind: 'calculate_kpis', parameters: { force: true } },
      }),
      202,
    );
    const shown = await json<JobBody>(await idle.fetch(`/api/jobs/${job.id}/`, { as: 'viewer' }), 200);
    expect(shown).toEqual(job);
    const missing = await json<ErrorBody>(
      await idle.fetch('/api/jobs/00000000-0000-4000-8000-000000000000/', { as: 'viewer' }),
      404,
    );
    expect(missing.code).toBe('NOT_FOUND');
    await json(await idle.fetch('/api/jobs/42/', { as: 'viewer' }), 400);
  });
});

describe('POST /api/jobs/{id}/cancel/', () => {
  it('cancels a queued job at once; a final job is a 409; a viewer is refused', async () => {
    const job = await json<JobBody>(
      await idle.fetch('/api/jobs/', {
        method: 'POST',
        as: 'analyst',
        json: { kind: 'calculate_kpis', parameters: { time_window: 48 } },
      }),
      202,
    );
    const refused = await json<ErrorBody>(
      await idle.fetch(`/api/jobs/${job.id}/cancel/`, { method: 'POST', as: 'viewer' }),
      403,
    );
    expect(refused.code).toBe('FORBIDDEN');
    const cancelled = await json<JobBody>(
      await idle.fetch(`/api/jobs/${job.id}/cancel/`, { method: 'POST', as: 'analyst' }),
      200,
    );
    expect(cancelled).toMatchObject({ id: job.id, status: 'CANCELLED', finished_at: now.toISOString() });
    const again = await json<ErrorBody>(
      await idle.fetch(`/api/jobs/${job.id}/cancel/`, { method: 'POST', as: 'analyst' }),
      409,
    );
    expect(again.code).toBe('CONFLICT');
    // A cancelled job no longer holds its scope: the same request queues a new one.
    const next = await json<JobBody>(
      await idle.fetch('/api/jobs/', {
        method: 'POST',
        as: 'analyst',
        json: { kind: 'calculate_kpis', parameters: { time_window: 48 } },
      }),
      202,
    );
    expect(next.id).not.toBe(job.id);
  });
});

describe('kinds and schedules', () => {
  it('lists the kinds with the permission each needs', async () => {
    const kinds = await json<{ kind: string; description: string; action: string }[]>(
      await idle.fetch('/api/jobs/kinds/', { as: 'viewer' }),
      200,
    );
    expect(kinds.map((k) => [k.kind, k.action])).toEqual(
      expect.arrayContaining([
        ['calculate_kpis', 'analyses.write'],
        ['run_anomaly_detection', 'analyses.write'],
        ['analyze_recurrence', 'analyses.write'],
      ]),
    );
    expect(kinds.every((k) => k.description.length > 0)).toBe(true);
  });

  it("shows the server's schedules, each with its next run", async () => {
    const scheduled = await startServer({
      engine: { now: () => now },
      jobs: {
        schedules: [
          {
            name: 'kpis-daily',
            kind: 'calculate_kpis',
            everySeconds: 86_400,
            parameters: { time_window: 24 },
            enabled: false,
          },
        ],
      },
    });
    try {
      const schedules = await json<Record<string, unknown>[]>(
        await scheduled.fetch('/api/jobs/schedules/', { as: 'viewer' }),
        200,
      );
      expect(schedules).toEqual([
        {
          name: 'kpis-daily',
          kind: 'calculate_kpis',
          parameters: { time_window: 24 },
          every_seconds: 86_400,
          enabled: false,
          last_run_at: null,
          next_run_at: null,
          last_job_id: null,
        },
      ]);
    } finally {
      await scheduled.close();
    }
    // A server without schedules shows none.
    expect(await json(await running.fetch('/api/jobs/schedules/', { as: 'viewer' }), 200)).toEqual([]);
  });
});

describe('the 202 actions of the analytics resources', () => {
  it('POST /kpi-metrics/calculate/ queues calculate_kpis; the job writes the measurement the API then lists', async () => {
    const response = await running.fetch('/api/analytics/kpi-metrics/calculate/', {
      method: 'POST',
      as: 'analyst',
      json: { time_window: 24, end: '2024-01-02T00:00:00Z', force: false },
    });
    const queued = await json<JobBody>(response, 202);
    expect(queued).toMatchObject({
      kind: 'calculate_kpis',
      parameters: { time_window: 24, end: '2024-01-02T00:00:00Z', force: false },
    });
    expect(response.headers.get('Location')).toBe(`/api/jobs/${queued.id}/`);
    const job = await finished(running, queued.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 1, error: null });
    const result = job.result as {
      measurements: { metric_type: string; value: string; computed: boolean }[];
    };
    const mtta = result.measurements.find((m) => m.metric_type === 'MTTA');
    // 2024-01-01: A, B, C and D acknowledged after 10, 20, 30 and 40 minutes (kpi-fixtures.ts): mean 25.
    expect(mtta).toMatchObject({ value: '25', computed: true });
    const metrics = await json<{ results: { id: string }[] }>(
      await running.fetch('/api/analytics/kpi-metrics/?metric_type=MTTA&is_system_metric=true', {
        as: 'viewer',
      }),
      200,
    );
    const listed = await json<{ results: { value: string; period_start: string }[] }>(
      await running.fetch(`/api/analytics/kpi-metrics/${metrics.results[0]!.id}/measurements/`, {
        as: 'viewer',
      }),
      200,
    );
    expect(listed.results.map((m) => [m.period_start, m.value])).toEqual([
      ['2024-01-01T00:00:00.000Z', '25'],
    ]);

    // Asked again, the period is already measured: the job succeeds and writes nothing twice.
    const again = await finished(
      running,
      (
        await json<JobBody>(
          await running.fetch('/api/analytics/kpi-metrics/calculate/', {
            method: 'POST',
            as: 'analyst',
            json: { time_window: 24, end: '2024-01-02T00:00:00Z' },
          }),
          202,
        )
      ).id,
    );
    const second = again.result as { measurements: { metric_type: string; computed: boolean }[] };
    expect(second.measurements.find((m) => m.metric_type === 'MTTA')?.computed).toBe(false);
    const relisted = await json<{ count: number }>(
      await running.fetch(`/api/analytics/kpi-metrics/${metrics.results[0]!.id}/measurements/`, {
        as: 'viewer',
      }),
      200,
    );
    expect(relisted.count).toBe(1);
  });

  it('POST /anomaly-detections/run/ and /recurrence-analyses/run/ queue their kinds and run them', async () => {
    for (const [path, kind, body] of [
      [
        '/api/analytics/anomaly-detections/run/',
        'run_anomaly_detection',
        { time_window: 24, end: '2024-01-02T00:00:00Z' },
      ],
      [
        '/api/analytics/recurrence-analyses/run/',
        'analyze_recurrence',
        { time_window: 36.5, end: '2024-01-02T00:00:00Z' },
      ],
    ] as const) {
      const queued = await json<JobBody>(
        await running.fetch(path, { method: 'POST', as: 'admin', json: body }),
        202,
      );
      expect(queued).toMatchObject({ kind, parameters: body, requested_by_username: 'admin' });
      const job = await finished(running, queued.id);
      expect(job.status, JSON.stringify(job.error)).toBe('SUCCEEDED');
      expect(job.result).toHaveProperty('notes');
    }
  });

  it('takes no body as no parameters, and names a bad or unknown body field as the body names it', async () => {
    const empty = await running.fetch('/api/analytics/recurrence-analyses/run/', {
      method: 'POST',
      as: 'admin',
      headers: { 'Content-Type': 'application/json' },
    });
    expect((await json<JobBody>(empty, 202)).parameters).toEqual({});

    const bad = await json<ErrorBody>(
      await idle.fetch('/api/analytics/kpi-metrics/calculate/', {
        method: 'POST',
        as: 'admin',
        json: { time_window: 1.5 },
      }),
      400,
    );
    expect(bad.code).toBe('VALIDATION_ERROR');
    expect(bad.error).toMatch(/^Invalid field time_window: /);
    expect(bad.details?.['errors']).toEqual([{ field: 'time_window', message: expect.any(String) }]);

    const end = await json<ErrorBody>(
      await idle.fetch('/api/analytics/anomaly-detections/run/', {
        method: 'POST',
        as: 'admin',
        json: { end: '2024-02-30T00:00:00Z' },
      }),
      400,
    );
    expect(end.details?.['errors']).toEqual([{ field: 'end', message: expect.any(String) }]);

    const unknown = await json<ErrorBody>(
      await idle.fetch('/api/analytics/kpi-metrics/calculate/', {
        method: 'POST',
        as: 'admin',
        json: { metric: 'MTTA', window: 24 },
      }),
      400,
    );
    expect(unknown).toMatchObject({
      error: 'Unknown fields metric, window (accepted: metric_id, time_window, end, force)',
      code: 'VALIDATION_ERROR',
      details: { accepted: ['metric_id', 'time_window', 'end', 'force'] },
    });
  });

  it('shows a job whose work failed as FAILED with the error, not retried when retrying cannot help', async () => {
    const queued = await json<JobBody>(
      await running.fetch('/api/analytics/kpi-metrics/calculate/', {
        method: 'POST',
        as: 'analyst',
        json: { metric_id: '00000000-0000-4000-8000-000000000000', end: '2024-01-02T00:00:00Z' },
      }),
      202,
    );
    const job = await finished(running, queued.id);
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1, result: null, error: { code: 'NOT_FOUND' } });
    expect(job.error?.message).toContain('00000000-0000-4000-8000-000000000000');
  });
});

describe('OpenAPI', () => {
  it('documents every job route and action with its schemas', async () => {
    const doc = (await (await idle.fetch('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; tags?: string[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /api/jobs/',
        'POST /api/jobs/',
        'GET /api/jobs/{id}/',
        'POST /api/jobs/{id}/cancel/',
        'GET /api/jobs/schedules/',
        'GET /api/jobs/kinds/',
        'POST /api/analytics/kpi-metrics/calculate/',
        'POST /api/analytics/anomaly-detections/run/',
        'POST /api/analytics/recurrence-analyses/run/',
      ]),
    );
    for (const path of [
      '/api/jobs/',
      '/api/analytics/kpi-metrics/calculate/',
      '/api/analytics/anomaly-detections/run/',
      '/api/analytics/recurrence-analyses/run/',
    ]) {
      expect(doc.paths[path]?.['post']?.responses).toHaveProperty('202');
    }
    expect(doc.components.schemas).toHaveProperty('Job');
    expect(doc.components.schemas).toHaveProperty('CalculateKpisParameters');
    expect(doc.components.schemas['CalculateKpisParameters']).toMatchObject({
      properties: {
        time_window: { type: 'integer', minimum: 1 },
        end: { type: 'string', format: 'date-time' },
      },
      additionalProperties: false,
    });
  });
});
