import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handIncidents, loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';

// The summary's hourly rollups are refreshed incrementally after a write. These tests move incidents
// between hours (out of and into the window) and delete them, and check the next summary equals a
// full recompute. Clock as in kpi-summary.test.ts: windows end 2024-01-02T00:00Z, so the current
// window is 2024-01-01 (A–E) and the previous one 2023-12-31 (F); see fixtures.ts.
let engine: Engine;
let clock: Date;
const windowEnd = new Date('2024-01-02T00:00:00Z');
const windowStart = new Date('2024-01-01T00:00:00Z');
const rollupTypes = new Set(['MTTA', 'MTTR', 'INCIDENT_COUNT', 'RESOLUTION_RATE', 'ESCALATION_RATE']);

beforeEach(async () => {
  clock = windowEnd;
  engine = await openEngine({ path: ':memory:', now: () => clock });
  await loadHandIncidents(engine);
  // Build the rollups before the change under test, so the next summary refreshes them incrementally.
  await engine.kpis.summary();
});
afterEach(() => engine.close());

/** Runs `write` one second later, as a real clock would stamp it, then returns to the window end. */
async function later<T>(write: () => Promise<T>, seconds = 1): Promise<T> {
  clock = new Date(windowEnd.getTime() + seconds * 1000);
  try {
    return await write();
  } finally {
    clock = windowEnd;
  }
}

async function value(name: string): Promise<string | null> {
  const item = (await engine.kpis.summary()).find((s) => s.metric_name === name);
  if (!item) throw new Error(`no summary line ${name}`);
  return item.current_value;
}

async function trend(name: string): Promise<string | null> {
  const item = (await engine.kpis.summary()).find((s) => s.metric_name === name);
  if (!item) throw new Error(`no summary line ${name}`);
  return item.trend_percentage;
}

async function idOf(externalId: string): Promise<string> {
  const page = await engine.incidents.list({ pageSize: 100 });
  const found = page.results.find((i) => i.external_id === externalId);
  if (!found) throw new Error(`no incident ${externalId}`);
  return found.id;
}

/**
 * Every rollup-served summary line (current value, incident count, previous window via the trend)
 * must equal an exact recompute of the same windows straight from the incidents table.
 */
async function expectSummaryExact(): Promise<void> {
  const summary = await engine.kpis.summary();
  const current = await engine.kpis.calculateAll({ end: windowEnd, force: true });
  const previous = await engine.kpis.calculateAll({ end: windowStart, force: true });
  const checked: string[] = [];
  for (const item of summary) {
    if (!rollupTypes.has(item.metric_type)) continue;
    const cur = current.find((r) => r.measurement.metric_name === item.metric_name)?.measurement;
    const prev = previous.find((r) => r.measurement.metric_name === item.metric_name)?.measurement;
    expect(cur, item.metric_name).toBeDefined();
    expect({ name: item.metric_name, value: item.current_value, n: item.incident_count }).toEqual({
      name: item.metric_name,
      value: cur?.value ?? null,
      n: cur?.incident_count,
    });
    const p = prev?.value === null || prev?.value === undefined ? null : Number(prev.value);
    const c = item.current_value === null ? null : Number(item.current_value);
    if (p !== null && p !== 0 && c !== null) {
      expect(Number(item.trend_percentage), item.metric_name).toBeCloseTo(((c - p) / Math.abs(p)) * 100, 1);
    } else if (p === null || p === 0) {
      // The spec's trend percentage is null when the previous window was empty or 0.
      expect(item.trend_percentage, item.metric_name).toBeNull();
    }
    checked.push(item.metric_name);
  }
  expect(checked.length).toBeGreaterThanOrEqual(5);
}

/** C moved a day back, with its acknowledgement and resolution: 2023-12-31 10:00, 10:30, 11:00. */
const cMovedOut = {
  created_at: new Date('2023-12-31T10:00:00Z'),
  acknowledged_at: new Date('2023-12-31T10:30:00Z'),
  resolved_at: new Date('2023-12-31T11:00:00Z'),
};
/** F moved a day forward: 2024-01-01 20:00, ack 20:05, resolved 22:00. */
const fMovedIn = {
  created_at: new Date('2024-01-01T20:00:00Z'),
  acknowledged_at: new Date('2024-01-01T20:05:00Z'),
  resolved_at: new Date('2024-01-01T22:00:00Z'),
};

function fixture(key: string): IncidentInput {
  const found = handIncidents.find((i) => i.external_id === key);
  if (!found) throw new Error(`no fixture ${key}`);
  return found;
}

describe('the KPI summary after incidents move between hours', () => {
  it('drops an incident whose created_at an update moves out of the window', async () => {
    // MTTR of A, B, C: 2 h, 2 h, 1 h → 1.6667 h (by hand, fixtures.ts).
    expect(await value('Mean Time to Resolve')).toBe('1.6667');
    const c = await idOf('C');
    await later(() => engine.incidents.update(c, cMovedOut));
    // A and B remain: (2 + 2) / 2 = 2 h.
    expect(await value('Mean Time to Resolve')).toBe('2');
    await expectSummaryExact();
  });

  it('adds an incident whose created_at an update moves into the window', async () => {
    const f = await idOf('F');
    await later(() => engine.incidents.update(f, fMovedIn));
    // A, B, C, F: (2 + 2 + 1 + 2) / 4 = 1.75 h (by hand); 2023-12-31 is left empty.
    expect(await value('Mean Time to Resolve')).toBe('1.75');
    expect(await trend('Mean Time to Resolve')).toBeNull();
    await expectSummaryExact();
  });

  it('sees a move made within the same clock tick as the rows it rolled up', async () => {
    // The update carries the same updated_at as the ingest: the watermark and row count do not move.
    const c = await idOf('C');
    await engine.incidents.update(c, cMovedOut);
    expect(await value('Mean Time to Resolve')).toBe('2');
    await expectSummaryExact();
  });

  it('drops an incident re-ingested under its external id with a created_at out of the window', async () => {
    await later(() => engine.incidents.ingest({ records: [{ ...fixture('C'), ...cMovedOut }] }));
    expect(await value('Mean Time to Resolve')).toBe('2');
    await expectSummaryExact();
  });

  it('adds an incident re-ingested under its external id with a created_at in the window', async () => {
    // A second, unchanged row in the same batch takes the MERGE path next to a new row.
    await later(() =>
      engine.incidents.ingest({
        records: [{ ...fixture('F'), ...fMovedIn }, fixture('A'), { ...fixture('C'), external_id: 'C2' }],
      }),
    );
    // A, B, C, F and the copy C2 of C: (2 + 2 + 1 + 2 + 1) / 5 = 1.6 h (by hand); 2023-12-31 is empty.
    expect(await value('Mean Time to Resolve')).toBe('1.6');
    expect(await trend('Mean Time to Resolve')).toBeNull();
    await expectSummaryExact();
  });
});

describe('the KPI summary after deletions', () => {
  it('stays exact after a delete and an insert that keep the row count', async () => {
    const c = await idOf('C');
    await later(() => engine.incidents.delete(c), 1);
    await later(
      () =>
        engine.incidents.create({
          ...fixture('C'),
          external_id: 'H',
          created_at: new Date('2024-01-01T06:00:00Z'),
          acknowledged_at: new Date('2024-01-01T06:30:00Z'),
          resolved_at: new Date('2024-01-01T10:00:00Z'),
        }),
      2,
    );
    expect(await engine.incidents.count()).toBe(7);
    // A, B and H (4 h): (2 + 2 + 4) / 3 = 2.6667 h (by hand).
    expect(await value('Mean Time to Resolve')).toBe('2.6667');
    await expectSummaryExact();
  });

  it('stays exact after a delete alone', async () => {
    await later(async () => engine.incidents.delete(await idOf('A')));
    // B and C: (2 + 1) / 2 = 1.5 h (by hand).
    expect(await value('Mean Time to Resolve')).toBe('1.5');
    await expectSummaryExact();
  });
});
