import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSchedules, dueSlot, type Engine, nextRunAt, openEngine, slotStart } from '../../src/index.ts';

const at = (iso: string) => new Date(iso);

describe('schedule slots (pure)', () => {
  it('aligns slots to multiples of the period since the epoch', () => {
    // 15 min = 900 s: 12:07:30 falls in the slot starting 12:00, 12:15:00 starts the next one.
    expect(slotStart(900, at('2024-03-01T12:07:30Z'))).toEqual(at('2024-03-01T12:00:00Z'));
    expect(slotStart(900, at('2024-03-01T12:15:00Z'))).toEqual(at('2024-03-01T12:15:00Z'));
    // 6 h: slots at 00:00, 06:00, 12:00, 18:00 UTC.
    expect(slotStart(21_600, at('2024-03-01T17:59:59Z'))).toEqual(at('2024-03-01T12:00:00Z'));
  });

  it('is due once per slot: at first, then not again until the next slot starts', () => {
    const now = at('2024-03-01T12:07:30Z');
    expect(dueSlot(900, now, null)).toEqual(at('2024-03-01T12:00:00Z'));
    expect(dueSlot(900, now, at('2024-03-01T12:00:00Z'))).toBeNull();
    expect(nextRunAt(900, now, at('2024-03-01T12:00:00Z'))).toEqual(at('2024-03-01T12:15:00Z'));
    expect(dueSlot(900, at('2024-03-01T12:15:00Z'), at('2024-03-01T12:00:00Z'))).toEqual(
      at('2024-03-01T12:15:00Z'),
    );
  });

  it('catches up a long gap once: only the current slot is due, not each one missed', () => {
    // Last run at 12:00 on 03-01, back 3 days later at 09:40: 283 slots of 15 min missed, one run due.
    const last = at('2024-03-01T12:00:00Z');
    const back = at('2024-03-04T09:40:00Z');
    expect(dueSlot(900, back, last)).toEqual(at('2024-03-04T09:30:00Z'));
    expect(dueSlot(900, back, at('2024-03-04T09:30:00Z'))).toBeNull();
    expect(nextRunAt(900, back, last)).toEqual(back);
  });
});

describe('the runner running schedules', () => {
  let dir: string | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function jobsOf(target: Engine, schedule: string) {
    return (await target.jobs.list({ pageSize: 100 })).results.filter((j) => j.schedule === schedule);
  }

  it('queues each default schedule once, and after downtime catches up once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'insights-schedules-'));
    const path = join(dir, 'insights.duckdb');
    let clock = at('2024-03-01T12:07:30Z');
    engine = await openEngine({ path, now: () => clock, workers: { threads: 1 } });
    expect(await engine.jobs.schedules()).toEqual([]); // no runner yet
    let runner = engine.jobs.startRunner({ pollMs: 10 });
    for (const s of defaultSchedules) {
      const queued = async () => (await jobsOf(engine as Engine, s.name))[0];
      while (!(await queued())) await new Promise((resolve) => setTimeout(resolve, 10));
      const final = await engine.jobs.wait((await queued())?.id as string);
      expect([final.status, final.error]).toEqual(['SUCCEEDED', null]);
    }
    // Many ticks later, still one job each: the slot ran.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const s of defaultSchedules) expect(await jobsOf(engine, s.name)).toHaveLength(1);
    const states = await engine.jobs.schedules();
    expect(states.map((s) => [s.name, s.kind, s.every_seconds, s.last_run_at, s.next_run_at])).toEqual([
      ['kpis-hourly', 'calculate_kpis', 3600, clock, at('2024-03-01T13:00:00Z')],
      ['anomalies-15min', 'run_anomaly_detection', 900, clock, at('2024-03-01T12:15:00Z')],
      ['recurrence-6h', 'analyze_recurrence', 21_600, clock, at('2024-03-01T18:00:00Z')],
      ['models-daily', 'train_predictive_models', 86_400, clock, at('2024-03-02T00:00:00Z')],
      ['scoring-5min', 'score_incidents', 300, clock, at('2024-03-01T12:10:00Z')],
      ['insights-hourly', 'generate_insights', 3600, clock, at('2024-03-01T13:00:00Z')],
      ['costs-hourly', 'calculate_costs', 3600, clock, at('2024-03-01T13:00:00Z')],
      ['cleanup-daily', 'cleanup', 86_400, clock, at('2024-03-02T00:00:00Z')],
      ['heatmaps-hourly', 'refresh_heatmaps', 3600, clock, at('2024-03-01T13:00:00Z')],
    ]);
    await runner.stop();
    await engine.close();

    // Down for three days; the state is in the file, so the new process catches up one run each.
    clock = at('2024-03-04T09:40:00Z');
    engine = await openEngine({ path, now: () => clock, workers: { threads: 1 } });
    runner = engine.jobs.startRunner({ pollMs: 10, schedules: [defaultSchedules[1]!] });
    while ((await jobsOf(engine, 'anomalies-15min')).length < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await jobsOf(engine, 'anomalies-15min')).toHaveLength(2);
    expect((await engine.jobs.schedules())[0]?.next_run_at).toEqual(at('2024-03-04T09:45:00Z'));
    // Once that run is over (a slot whose job still runs joins it), the next slot brings one more.
    for (const job of await jobsOf(engine, 'anomalies-15min')) await engine.jobs.wait(job.id);
    clock = at('2024-03-04T09:45:00Z');
    while ((await jobsOf(engine, 'anomalies-15min')).length < 3) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
  });

  it('refuses a schedule of an unknown kind or with bad parameters', () => {
    return openEngine({ path: ':memory:', workers: { threads: 1 } }).then(async (opened) => {
      engine = opened;
      expect(() =>
        opened.jobs.startRunner({ schedules: [{ name: 'x', kind: 'nope', everySeconds: 60 }] }),
      ).toThrow(/unknown job kind nope/);
      expect(() =>
        opened.jobs.startRunner({
          schedules: [
            { name: 'x', kind: 'calculate_kpis', everySeconds: 60, parameters: { time_window: 0 } },
          ],
        }),
      ).toThrow(/invalid parameters/);
      expect(() =>
        opened.jobs.startRunner({ schedules: [{ name: 'x', kind: 'calculate_kpis', everySeconds: 0 }] }),
      ).toThrow(/whole number of seconds/);
    });
  });
});
