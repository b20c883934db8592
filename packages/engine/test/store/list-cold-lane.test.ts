import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database } from '../../src/store/database.ts';
import { cachedAnswer } from '../../src/store/list-cache.ts';
import { inColdLane } from '../../src/store/list-cold-lane.ts';

/** A promise and the function that settles it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** Lets every pending callback run (the lane's hand-overs are promise callbacks). */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:', { readers: 3 });
  await db.run('CREATE TABLE items (id INTEGER)');
  await db.run('INSERT INTO items SELECT * FROM range(10)');
});
afterAll(async () => {
  await db.close();
});

describe('the cold lane', () => {
  it('runs at most two cold reads at once, in order, and keeps a connection for other reads', async () => {
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const finished: number[] = [];
    const reads = gates.map((gate, n) =>
      inColdLane(db, () =>
        db.withReader(async () => {
          started.push(n);
          await gate.promise;
          finished.push(n);
          return n;
        }),
      ),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    // Two of the three readers are held by cold reads, the waiting three hold none: a plain read passes.
    expect(await db.all('SELECT count(*) AS n FROM items')).toEqual([{ n: 10n }]);
    gates[1]?.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(reads)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees its place when a cold read fails', async () => {
    await expect(inColdLane(db, () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    await expect(inColdLane(db, () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    const ran = await Promise.all([1, 2, 3].map((n) => inColdLane(db, async () => n)));
    expect(ran).toEqual([1, 2, 3]);
  });
});

describe('answers computed once for callers asking at the same time', () => {
  it('shares one computation between identical concurrent questions, each caller its own copy', async () => {
    const gate = deferred();
    const compute = vi.fn(async () => {
      await gate.promise;
      return { results: [{ id: 1 }], rows: (await db.all('SELECT count(*) AS n FROM items'))[0] };
    });
    const asked = [cachedAnswer(db, 'shared', compute), cachedAnswer(db, 'shared', compute)];
    gate.resolve();
    const [first, second] = await Promise.all(asked);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    first?.results.push({ id: 2 }); // the first caller changes its answer: no one else sees it
    expect((await cachedAnswer(db, 'shared', compute)).results).toEqual([{ id: 1 }]);
  });

  it('computes afresh for a caller that asks after a write', async () => {
    const gate = deferred();
    let n = 0;
    const compute = async () => {
      const rows = await db.all('SELECT count(*) AS n FROM items');
      await gate.promise;
      n++;
      return rows;
    };
    const early = cachedAnswer(db, 'after-write', compute);
    await settle();
    await db.run('INSERT INTO items VALUES (10)');
    const late = cachedAnswer(db, 'after-write', compute);
    gate.resolve();
    expect(await early).toEqual([{ n: 10n }]);
    expect(await late).toEqual([{ n: 11n }]);
    expect(n).toBe(2);
  });

  it('hands a failure to every caller that shared the computation', async () => {
    const gate = deferred();
    const compute = vi.fn(async () => {
      await gate.promise;
      throw new Error('unreadable');
    });
    const asked = [cachedAnswer(db, 'failing', compute), cachedAnswer(db, 'failing', compute)];
    gate.resolve();
    for (const answer of asked) await expect(answer).rejects.toThrow('unreadable');
    expect(compute).toHaveBeenCalledTimes(1);
  });
});
