import { describe, expect, it, vi } from 'vitest';
import { openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { Database } from '../src/store/database.ts';

/** Lends every foreground reader of `db` to work that waits for `release`; resolves once all are lent. */
async function holdReaders(db: Database, count: number, release: Promise<void>): Promise<Promise<unknown>[]> {
  const lent: Promise<unknown>[] = [];
  let held = 0;
  const allHeld = new Promise<void>((resolve) => {
    for (let i = 0; i < count; i++) {
      lent.push(
        db.withReader(async () => {
          if (++held === count) resolve();
          await release;
        }),
      );
    }
  });
  await allHeld;
  return lent;
}

describe('background work on the database', () => {
  it('reads on a connection of its own while every foreground reader is lent', async () => {
    const db = await Database.open(':memory:', { readers: 2 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lent = await holdReaders(db, 2, released);
    let foregroundDone = false;
    const foreground = db.all('SELECT 1 AS x').then(() => {
      foregroundDone = true;
    });
    const rows = await db.inBackground(() => db.all<{ x: number }>('SELECT 42 AS x'));
    expect(rows[0]?.x).toBe(42);
    // The foreground read still waits for a reader: the background one is not lent to it.
    expect(foregroundDone).toBe(false);
    release();
    await Promise.all([...lent, foreground]);
    expect(foregroundDone).toBe(true);
    await db.close();
  });

  it('runs every job handler as background work', async () => {
    const engine = await openEngine({ path: ':memory:', now: () => new Date('2026-06-01T00:00:00Z') });
    const { db } = internalContext(engine);
    const inBackground = vi.spyOn(db, 'inBackground');
    try {
      const job = await engine.jobs.run({ kind: 'analyze_recurrence', parameters: { time_window: 24 } });
      expect(job.status).toBe('SUCCEEDED');
      expect(inBackground).toHaveBeenCalledTimes(1);
    } finally {
      await engine.close();
    }
  });
});
