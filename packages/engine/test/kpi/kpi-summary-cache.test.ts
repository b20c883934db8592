import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

// The summary trusts what it read until the database's write generation moves; these tests change
// things through every write path and check the next summary sees them. Clock as in
// kpi-summary.test.ts: windows end 2024-01-02T00:00Z, current window = 2024-01-01 (A–E, fixtures.ts).
let engine: Engine;
let clock: Date;
const windowEnd = new Date('2024-01-02T00:00:00Z');

beforeEach(async () => {
  clock = windowEnd;
  engine = await openEngine({ path: ':memory:', now: () => clock });
  await loadHandIncidents(engine);
});
afterEach(() => engine.close());

async function value(name: string): Promise<string | null> {
  const item = (await engine.kpis.summary()).find((s) => s.metric_name === name);
  if (!item) throw new Error(`no summary line ${name}`);
  return item.current_value;
}

describe('the warm KPI summary', () => {
  it('writes nothing when nothing changed, and answers the same', async () => {
    const first = await engine.kpis.summary();
    const generation = internalContext(engine).db.generation;
    const second = await engine.kpis.summary();
    expect(internalContext(engine).db.generation).toBe(generation);
    expect(second).toEqual(first);
  });

  it('sees an incident updated through the engine', async () => {
    // MTTR of A, B, C: 2 h, 2 h, 1 h → 1.6667 h (by hand).
    expect(await value('Mean Time to Resolve')).toBe('1.6667');
    const c = (await engine.incidents.list({ pageSize: 100 })).results.find((i) => i.external_id === 'C');
    // A later clock gives the update a newer updated_at, as a real clock would.
    clock = new Date('2024-01-02T00:00:01Z');
    await engine.incidents.update(c!.id, { resolved_at: new Date('2024-01-01T13:00:00Z') });
    clock = windowEnd;
    // C now takes 3 h: (2 + 2 + 3) / 3 = 2.3333 h.
    expect(await value('Mean Time to Resolve')).toBe('2.3333');
  });

  it('sees metrics created, changed and deactivated', async () => {
    expect(await engine.kpis.summary()).toHaveLength(8);
    const custom = await engine.kpis.create({
      name: 'api MTTR',
      metric_type: 'MTTR',
      aggregation_type: 'MAX',
      services: ['api'],
      time_window_hours: 24,
    });
    // Longest resolution among A, B, C: 2 h.
    expect(await value('api MTTR')).toBe('2');
    await engine.kpis.update(custom.id, { target_value: 1 });
    const line = (await engine.kpis.summary()).find((s) => s.metric_name === 'api MTTR');
    expect(line?.target_value).toBe('1');
    expect(line?.target_met).toBe(false);
    await engine.kpis.update(custom.id, { is_active: false });
    expect(await engine.kpis.summary()).toHaveLength(8);
  });

  it('rebuilds the rollups of a metric deleted and created again with the same definition', async () => {
    const definition = {
      name: 'api MTTR',
      metric_type: 'MTTR' as const,
      aggregation_type: 'AVERAGE' as const,
      services: ['api'],
      time_window_hours: 24,
    };
    const first = await engine.kpis.create(definition);
    expect(await value('api MTTR')).toBe('1.6667');
    // Deleting drops the rollups stored under the definition's key; the next summary must rebuild them.
    await engine.kpis.delete(first.id);
    await engine.kpis.create(definition);
    expect(await value('api MTTR')).toBe('1.6667');
  });

  it('sees a new maintenance window in availability (exact per window, cached)', async () => {
    const before = await value('Service Availability');
    await engine.kpis.maintenanceWindows.create({
      service: 'api',
      start_at: new Date('2024-01-01T01:00:00Z'),
      end_at: new Date('2024-01-01T04:00:00Z'),
    });
    const after = await value('Service Availability');
    // The window covers A and B's outages (01:00–04:00), so availability must rise; and the summary's
    // value must be the exact batch value of the same 24 h.
    expect(Number(after)).toBeGreaterThan(Number(before));
    const [system] = (
      await engine.kpis.list({ filters: { metric_type: 'AVAILABILITY', is_system_metric: true } })
    ).results;
    const exact = await engine.kpis.calculate(system!.id, { end: windowEnd, windowHours: 24 });
    expect(after).toBe(exact.measurement.value);
  });
});

describe('a summary after another process wrote the file', () => {
  it('sees incidents written while this engine was closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'insights-kpi-cache-'));
    const path = join(dir, 'kpi.duckdb');
    try {
      let own = await openEngine({ path, now: () => clock });
      await loadHandIncidents(own);
      const mttr = async (e: Engine) =>
        (await e.kpis.summary()).find((s) => s.metric_name === 'Mean Time to Resolve')?.current_value;
      expect(await mttr(own)).toBe('1.6667');
      await own.close();
      // Another engine (as another process would) adds an incident resolved after 7 h.
      clock = new Date('2024-01-02T00:00:01Z');
      const other = await openEngine({ path, now: () => clock });
      await other.incidents.ingest({
        records: [
          {
            external_id: 'new',
            title: 'new',
            severity: 'LOW',
            service: 'api',
            created_at: '2024-01-01T12:00:00Z',
            resolved_at: '2024-01-01T19:00:00Z',
          },
        ],
      });
      await other.close();
      clock = windowEnd;
      own = await openEngine({ path, now: () => clock });
      // Resolved durations 2, 2, 1 and 7 h → 3 h.
      expect(await mttr(own)).toBe('3');
      await own.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
