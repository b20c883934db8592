import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

// The summary's answer is remembered against the database's write generation and the end of its
// windows (the last complete hour). These tests pin the clock and check that a repeat in the same
// hour runs no statement, and that a write or the next hour is never answered from the old summary.
// Incidents and hand-worked values: test/support/kpi-fixtures.ts (A–E on 2024-01-01, G on 01-02).
let engine: Engine;
let clock: Date;

beforeAll(async () => {
  clock = new Date('2024-01-02T00:00:00Z');
  engine = await openEngine({ path: ':memory:', now: () => clock });
  await loadHandIncidents(engine);
});
afterAll(() => engine.close());

/** Counts the statements (reads and write sections) the database runs during `work`. */
async function statementsDuring<T>(work: () => Promise<T>): Promise<{ value: T; statements: number }> {
  const db = internalContext(engine).db;
  const reads = vi.spyOn(db, 'all');
  const writes = vi.spyOn(db, 'exclusive');
  try {
    const value = await work();
    return { value, statements: reads.mock.calls.length + writes.mock.calls.length };
  } finally {
    reads.mockRestore();
    writes.mockRestore();
  }
}

async function mttr(): Promise<{ value: string | null; end: string }> {
  const line = (await engine.kpis.summary()).find((s) => s.metric_name === 'Mean Time to Resolve');
  if (!line) throw new Error('no MTTR line');
  return { value: line.current_value, end: line.period_end.toISOString() };
}

describe('the remembered KPI summary', () => {
  it('answers a repeat in the same hour without any statement, equal to the first answer', async () => {
    const first = await engine.kpis.summary();
    clock = new Date('2024-01-02T00:59:59Z');
    const repeat = await statementsDuring(() => engine.kpis.summary());
    expect(repeat.statements).toBe(0);
    expect(repeat.value).toEqual(first);
  });

  it('hands out copies: changing an answer does not change the next', async () => {
    const answer = await engine.kpis.summary();
    (answer[0] as { metric_name: string }).metric_name = 'changed';
    answer[0]?.period_end.setTime(0);
    const next = await engine.kpis.summary();
    expect(next[0]?.metric_name).not.toBe('changed');
    expect(next[0]?.period_end.getTime()).not.toBe(0);
  });

  it('is not served after a write', async () => {
    // MTTR of A, B, C (created in 2024-01-01): 2 h, 2 h, 1 h → 1.6667 h (by hand).
    clock = new Date('2024-01-02T00:30:00Z');
    expect(await mttr()).toEqual({ value: '1.6667', end: '2024-01-02T00:00:00.000Z' });
    const c = (await engine.incidents.list({ pageSize: 100 })).results.find((i) => i.external_id === 'C');
    clock = new Date('2024-01-02T00:31:00Z');
    await engine.incidents.update(c!.id, { resolved_at: new Date('2024-01-01T13:00:00Z') });
    // C now takes 3 h: (2 + 2 + 3) / 3 = 2.3333 h.
    expect(await mttr()).toEqual({ value: '2.3333', end: '2024-01-02T00:00:00.000Z' });
    // Put C back for the next test (a later clock again: rollups see an update by its updated_at).
    clock = new Date('2024-01-02T00:32:00Z');
    await engine.incidents.update(c!.id, { resolved_at: new Date('2024-01-01T11:00:00Z') });
    expect((await mttr()).value).toBe('1.6667');
  });

  it('is not served after the clock enters the next hour', async () => {
    clock = new Date('2024-01-02T01:59:59.999Z');
    // Window 2024-01-01T01:00 to 01-02T01:00: A, B, C as before → 1.6667 h.
    expect(await mttr()).toEqual({ value: '1.6667', end: '2024-01-02T01:00:00.000Z' });
    clock = new Date('2024-01-02T02:00:00Z');
    // Window 2024-01-01T02:00 to 01-02T02:00: B (2 h), C (1 h), G (1 h) → 4 / 3 = 1.3333 h; A left it.
    expect(await mttr()).toEqual({ value: '1.3333', end: '2024-01-02T02:00:00.000Z' });
  });
});
