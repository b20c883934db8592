import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { internalContext } from '../../src/engine.ts';
import { type Engine, EngineError, openEngine } from '../../src/index.ts';
import { Database, type Transaction } from '../../src/store/database.ts';
import { GroupCommit } from '../../src/store/group-commit.ts';

/** A new incident numbered `n` (every field the create takes, so the comparison covers each). */
function incident(n: number, extra: Record<string, unknown> = {}) {
  return {
    external_id: `GC-${n}`,
    title: `  Incident ${n}  `,
    description: n % 2 === 0 ? `described ${n}` : null,
    category: 'Application',
    severity: 'MEDIUM' as const,
    priority: 'P3' as const,
    service: 'checkout',
    team: 'Payments',
    created_at: '2026-01-01T00:00:00Z',
    acknowledged_at: n % 3 === 0 ? '2026-01-01T00:05:00.123Z' : null,
    affected_users: n,
    tags: n % 2 === 0 ? ['a', `t${n}`] : n % 5 === 0 ? [] : null,
    ...extra,
  };
}

/** Settles every promise: its value or its error. */
function settle<T>(promises: Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(promises);
}

/** Runs `work` and expects it to have written in exactly one gathered write section of `db`. */
async function inOneSection<T>(db: Database, work: () => Promise<T>): Promise<T> {
  const gathered = vi.spyOn(db, 'exclusiveGathered');
  try {
    const value = await work();
    expect(gathered).toHaveBeenCalledTimes(1);
    return value;
  } finally {
    gathered.mockRestore();
  }
}

/** The answer of a create is what a later read gives: same fields, values, types and key order. */
function expectSameRecord(answer: object, read: object): void {
  expect(answer).toStrictEqual(read);
  expect(JSON.stringify(answer)).toBe(JSON.stringify(read));
}

describe('group commit of single creates', () => {
  let engine: Engine;
  let db: Database;
  let analyst: string;
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => new Date('2026-02-01T00:00:00Z') });
    db = internalContext(engine).db;
    analyst = (await engine.auth.createUser({ username: 'ana', role: 'analyst' })).id;
  });
  afterAll(async () => {
    await engine.close();
  });

  it('writes 50 concurrent incident creates in one transaction, each answer equal to its later get', async () => {
    const listed = await engine.incidents.list({ pageSize: 100 });
    const before = { incidents: db.generationOf(['incidents']), all: db.generation };
    // All 50 are queued before the lock comes free: one section (the first create does not wait).
    const answers = await inOneSection(db, () =>
      Promise.all(Array.from({ length: 50 }, (_, n) => engine.incidents.create(incident(n)))),
    );
    // Generations move as 50 creates one by one would move them.
    expect(db.generationOf(['incidents'])).toBe(before.incidents + 50);
    expect(db.generation).toBe(before.all + 50);
    for (const answer of answers) expectSameRecord(answer, await engine.incidents.get(answer.id));
    expect(answers.map((a) => a.external_id)).toEqual(Array.from({ length: 50 }, (_, n) => `GC-${n}`));
    expect(answers[0]?.title).toBe('Incident 0');
    // A list cached before the creates shows them after.
    const after = await engine.incidents.list({ pageSize: 100 });
    expect(after.count).toBe(listed.count + 50);
    expect(new Set(after.results.map((r) => r.id))).toEqual(new Set(answers.map((a) => a.id)));
  });

  it('fails a conflicting and an invalid create alone, and the first of two equal external ids wins', async () => {
    const given = 'ABCDEF01-2345-4678-9ABC-DEF012345678';
    const results = await inOneSection(db, () =>
      settle([
        engine.incidents.create(incident(100)),
        engine.incidents.create(incident(101, { external_id: 'GC-0' })), // stored by the test above
        engine.incidents.create(incident(102, { severity: 'BAD' as 'LOW' })),
        engine.incidents.create(incident(103, { external_id: 'GC-DUP' })),
        engine.incidents.create(incident(104, { external_id: 'GC-DUP' })),
        engine.incidents.create(incident(105, { id: given, external_id: null })),
        engine.incidents.create(incident(106, { id: given.toLowerCase() })),
        engine.incidents.create(incident(107)),
      ]),
    );
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as EngineError).code));
    expect(codes).toEqual(['ok', 'CONFLICT', 'VALIDATION_ERROR', 'ok', 'CONFLICT', 'ok', 'CONFLICT', 'ok']);
    const conflict = (results[4] as PromiseRejectedResult).reason as EngineError;
    expect(conflict).toBeInstanceOf(EngineError);
    expect(conflict.details).toEqual({ id: expect.any(String), external_id: 'GC-DUP' });
    // An id given in upper case is stored (and answered) in lower case; the external id keeps it as given.
    const upper = (results[5] as PromiseFulfilledResult<Awaited<ReturnType<Engine['incidents']['create']>>>)
      .value;
    expect(upper.id).toBe(given.toLowerCase());
    expect(upper.external_id).toBe(given);
    expectSameRecord(upper, await engine.incidents.get(given));
    // A given id already stored is a conflict too.
    await expect(engine.incidents.create(incident(109, { id: given }))).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { id: given, external_id: 'GC-109' },
    });
    const page = await engine.incidents.list({ filters: { service: 'checkout' }, pageSize: 100 });
    const titles = page.results.map((r) => r.title).filter((t) => /^Incident 10\d$/.test(t));
    expect(titles.sort()).toEqual(['Incident 100', 'Incident 103', 'Incident 105', 'Incident 107']);
  });

  it('writes concurrent metric creates together, each answer equal to its later get', async () => {
    const answers = await inOneSection(db, () =>
      Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          engine.kpis.create(
            {
              name: ` metric ${n} `,
              metric_type: 'MTTR',
              aggregation_type: 'MEDIAN',
              services: n % 2 === 0 ? ['checkout'] : [],
              target_value: n % 3 === 1 ? '2.5' : null, // null first: the list's type is declared
              time_window_hours: 24 + n,
            },
            { createdBy: n % 2 === 1 ? analyst : undefined },
          ),
        ),
      ),
    );
    for (const answer of answers) expectSameRecord(answer, await engine.kpis.get(answer.id));
    expect(answers.map((a) => a.created_by_username).slice(0, 2)).toEqual([null, 'ana']);
    expect(answers.map((a) => a.target_value).slice(0, 3)).toEqual([null, '2.5', null]);
  });

  it('falls back to one create a transaction when the batch statement fails', async () => {
    // A creator that is not a UUID fails the batch's INSERT; alone, only its own create fails.
    const alone = await settle([
      engine.kpis.create({ name: 'x', metric_type: 'MTTR' }, { createdBy: 'nobody' }),
    ]);
    const results = await inOneSection(db, () =>
      settle([
        engine.kpis.create({ name: 'fallback a', metric_type: 'MTTR' }),
        engine.kpis.create({ name: 'fallback b', metric_type: 'MTTR' }, { createdBy: 'nobody' }),
        engine.kpis.create({ name: 'fallback c', metric_type: 'MTTA' }, { createdBy: analyst }),
      ]),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toBe(
      String((alone[0] as PromiseRejectedResult).reason),
    );
    for (const r of [results[0], results[2]]) {
      const metric = (r as PromiseFulfilledResult<Awaited<ReturnType<Engine['kpis']['create']>>>).value;
      expectSameRecord(metric, await engine.kpis.get(metric.id));
    }
    const names = (await engine.kpis.list({ search: 'fallback', pageSize: 50 })).results.map((m) => m.name);
    expect(names).toEqual(['fallback a', 'fallback c']);
  });

  it("names a metric's creator as stored when the users table changes between creates", async () => {
    // A creator id no user has yet: no name. Then a user with that id is written, and the next
    // create by it must name them, not answer from what the first create learned.
    const creator = crypto.randomUUID();
    const before = await engine.kpis.create(
      { name: 'named later 1', metric_type: 'MTTR' },
      { createdBy: creator },
    );
    expect(before.created_by_username).toBeNull();
    await db.run("INSERT INTO users VALUES ($id, 'zed', NULL, NULL, 'analyst', true, $now, $now)", {
      id: creator,
      now: new Date('2026-02-01T00:00:00Z'),
    });
    const after = await engine.kpis.create(
      { name: 'named later 2', metric_type: 'MTTR' },
      { createdBy: creator },
    );
    expect(after.created_by_username).toBe('zed');
    for (const answer of [after, await engine.kpis.get(before.id)]) {
      expect(answer.created_by_username).toBe('zed');
      expectSameRecord(answer, await engine.kpis.get(answer.id));
    }
  });
});

describe('GroupCommit', () => {
  it('opens no transaction around a batch whose writer makes one writing statement', async () => {
    const db = await Database.open(':memory:');
    await db.run('CREATE TABLE t (n INTEGER)');
    // DuckDB gives each auto-committed statement a transaction of its own.
    const sameTransaction = async (tx: Transaction) => {
      const first = await tx.rows<{ id: bigint }>('SELECT txid_current() AS id');
      const second = await tx.rows<{ id: bigint }>('SELECT txid_current() AS id');
      return first[0]?.id === second[0]?.id;
    };
    const seen: boolean[] = [];
    const writer = async (tx: Transaction, items: readonly number[]) => {
      seen.push(await sameTransaction(tx));
      await tx.run('INSERT INTO t SELECT unnest($items::INTEGER[])', { items: [...items] });
      return items.map((n) => ({ ok: true as const, answer: n }));
    };
    const alone = new GroupCommit<number, number>(db, writer, { oneWritingStatement: true });
    const wrapped = new GroupCommit<number, number>(db, writer);
    expect(await Promise.all([1, 2].map((n) => alone.submit(n)))).toEqual([1, 2]);
    expect(await Promise.all([3, 4].map((n) => wrapped.submit(n)))).toEqual([3, 4]);
    expect(seen).toEqual([false, true]);
    expect((await db.all('SELECT n FROM t ORDER BY n')).map((r) => r['n'])).toEqual([1, 2, 3, 4]);
    await db.close();
  });

  it('writes a failed batch again item by item, nothing half-written, each caller its own outcome', async () => {
    const db = await Database.open(':memory:');
    await db.run('CREATE TABLE t (n INTEGER)');
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(db, async (tx, items) => {
      batches.push([...items]);
      for (const n of items) await tx.run('INSERT INTO t VALUES ($n)', { n });
      // The batch statement fails whenever 13 is in a batch of several (after writing the others).
      if (items.length > 1 && items.includes(13)) throw new Error('batch statement failed');
      if (items[0] === 13) throw new Error('13 fails alone');
      return items.map((n) => ({ ok: true as const, answer: n * 2 }));
    });
    const generation = db.generation;
    const results = await settle([11, 12, 13, 14].map((n) => commit.submit(n)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 22 },
      { status: 'fulfilled', value: 24 },
      { status: 'rejected', reason: new Error('13 fails alone') },
      { status: 'fulfilled', value: 28 },
    ]);
    expect(batches).toEqual([[11, 12, 13, 14], [11], [12], [13], [14]]);
    expect((await db.all('SELECT n FROM t ORDER BY n')).map((r) => r['n'])).toEqual([11, 12, 14]);
    expect(db.generation).toBe(generation + 4);
    // Alone, an item is written once, in one transaction (no retry).
    batches.length = 0;
    await expect(commit.submit(13)).rejects.toThrow('13 fails alone');
    expect(batches).toEqual([[13]]);
    await db.close();
  });
});
