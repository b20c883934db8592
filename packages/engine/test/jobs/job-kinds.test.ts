import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, stormFixture } from '../../../../test/support/anomaly-fixtures.ts';
import { end as kpiEnd, loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

const json = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('calculate_kpis as a job', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({
      path: ':memory:',
      now: () => new Date('2024-01-05T00:00:00Z'),
      workers: { threads: 1 },
    });
    await loadHandIncidents(engine);
  });
  afterAll(() => engine.close());

  it('gives the measurements the service gives, and a second run writes nothing new', async () => {
    const job = await engine.jobs.run({ kind: 'calculate_kpis', parameters: { end: kpiEnd.toISOString() } });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.attempts).toBe(1);
    const result = job.result as { measurements: Record<string, unknown>[]; notes: string[] };
    expect(result.notes).toEqual([]);
    expect(result.measurements.length).toBeGreaterThan(0);
    expect(result.measurements.every((m) => m['computed'] === true)).toBe(true);
    // The service asked directly for the same period returns the stored measurements: the same values.
    const direct = await engine.kpis.calculateAll({ end: kpiEnd });
    expect(direct.every((r) => !r.computed)).toBe(true);
    expect(result.measurements.map(({ computed: _, ...m }) => m)).toEqual(
      json(direct.map((r) => r.measurement)),
    );
    const stored = await engine.kpis.measurements({ pageSize: 100 });
    const again = await engine.jobs.run({
      kind: 'calculate_kpis',
      parameters: { end: kpiEnd.toISOString() },
    });
    const second = again.result as { measurements: { computed: boolean }[] };
    expect(again.id).not.toBe(job.id);
    expect(second.measurements.every((m) => m.computed === false)).toBe(true);
    expect((await engine.kpis.measurements({ pageSize: 100 })).count).toBe(stored.count);
  });

  it('notes an empty window in the wording the CLI prints', async () => {
    const job = await engine.jobs.run({
      kind: 'calculate_kpis',
      parameters: { end: '2025-01-01T00:00', time_window: 24 },
    });
    // Hand incidents F (2023-12-31T20:00) to G (2024-01-02T01:00): see test/support/kpi-fixtures.ts.
    expect((job.result as { notes: string[] }).notes).toEqual([
      'no incidents in the window 2024-12-31T00:00:00.000Z – 2025-01-01T00:00:00.000Z; the data covers 2023-12-31T20:00:00.000Z – 2024-01-02T01:00:00.000Z',
    ]);
  });
});

describe('run_anomaly_detection and analyze_recurrence as jobs', () => {
  const fixture = stormFixture();
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({
      path: ':memory:',
      now: () => new Date('2026-03-10T00:05:00Z'),
      workers: { threads: 1 },
    });
    await insertIncidents(internalContext(engine).db, fixture.background);
    await insertIncidents(internalContext(engine).db, fixture.storm);
  });
  afterAll(() => engine.close());

  it('stores the anomalies once, reports the run in snake_case and each step as progress', async () => {
    const steps: string[] = [];
    const parameters = { end: fixture.end.toISOString(), time_window: 48 };
    const job = await engine.jobs.run(
      { kind: 'run_anomaly_detection', parameters },
      { onProgress: (p) => steps.push(p.message ?? '') },
    );
    expect(job.status).toBe('SUCCEEDED');
    const result = job.result as {
      run: Record<string, unknown>;
      anomalies: { id: string }[];
      summary: Record<string, unknown>;
      notes: string[];
    };
    expect(Object.keys(result.run).sort()).toEqual(
      [
        'model_id',
        'time_window_start',
        'time_window_end',
        'history_start',
        'series_analyzed',
        'detections_found',
        'outside_window',
        'below_alarm_budget',
        'detections',
        'anomalies_found',
        'anomalies_created',
        'duplicates_skipped',
        'created_ids',
      ].sort(),
    );
    expect(result.run['anomalies_created']).toBeGreaterThanOrEqual(1);
    expect(result.anomalies.map((a) => a.id)).toEqual(result.run['created_ids']);
    expect(result.summary).toEqual(json(await engine.anomalies.summary()));
    expect(result.notes).toEqual([]);
    expect(steps[0]).toMatch(/^model /);
    expect(job.progress.message).toMatch(/new anomalies stored/);
    // The same job again finds the same anomalies and stores none: the service says they are known.
    const again = await engine.jobs.run({ kind: 'run_anomaly_detection', parameters });
    const run = (again.result as { run: Record<string, unknown> }).run;
    expect(run['anomalies_created']).toBe(0);
    expect(run['duplicates_skipped']).toBe(result.run['anomalies_found']);
    expect((await engine.anomalies.list({ pageSize: 100 })).count).toBe(result.anomalies.length);
  });

  it('notes a window without incidents, as the CLI did', async () => {
    const job = await engine.jobs.run({ kind: 'run_anomaly_detection', parameters: { end: '2027-01-01' } });
    const coverage = await engine.incidents.coverage();
    // The default window is the model's 24 hours before the end.
    expect((job.result as { notes: string[] }).notes).toEqual([
      `no incidents in the window 2026-12-31T00:00:00.000Z – 2027-01-01T00:00:00.000Z; the data covers ${coverage.firstCreatedAt?.toISOString()} – ${coverage.lastCreatedAt?.toISOString()}`,
    ]);
  });

  it('stops a cancelled anomaly run between steps, before it stores anything', async () => {
    const before = (await engine.anomalies.list({ pageSize: 1 })).count;
    const controller = new AbortController();
    const steps: string[] = [];
    // Cancelled at its first progress line ("model ...; window ..."), long before the store step.
    const job = await engine.jobs.run(
      { kind: 'run_anomaly_detection', parameters: { end: '2026-03-09T18:00', time_window: 24 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          steps.push(p.message ?? '');
          controller.abort();
        },
      },
    );
    expect(job).toMatchObject({ status: 'CANCELLED', cancel_requested: true, result: null });
    expect(steps.some((line) => line.includes('stored'))).toBe(false);
    expect((await engine.anomalies.list({ pageSize: 1 })).count).toBe(before);
  });

  it('analyses recurrence as the service does, and upserts on a second run', async () => {
    const parameters = { end: fixture.end.toISOString(), time_window: 72 };
    const job = await engine.jobs.run({ kind: 'analyze_recurrence', parameters });
    expect(job.status).toBe('SUCCEEDED');
    const result = job.result as Record<string, unknown> & { analyses: unknown[]; notes: string[] };
    const direct = await engine.recurrence.analyze({ end: fixture.end, windowHours: 72 });
    // The direct call after the job finds the job's analyses unchanged.
    expect(direct.created).toBe(0);
    expect(direct.unchanged).toBe(direct.analyses.length);
    const { notes, ...rest } = result;
    expect(notes).toEqual([]);
    expect({ ...rest, created: 0, updated: 0, reopened: 0, unchanged: direct.analyses.length }).toEqual(
      json(direct),
    );
  });
});
