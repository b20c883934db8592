import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';
import { WorkerPool } from '../src/workers/pool.ts';
import { tableFromTransferable, tableToTransferable } from '../src/workers/transfer.ts';

const debugEntry = new URL('./fixtures/debug.worker.ts', import.meta.url);
const pool = new WorkerPool({ threads: 2, entry: debugEntry });
afterAll(() => pool.close());

/** 100,000 rows: x = 0..99,999 as Int32 with every tenth row null, y = x / 2 as Float64. */
function sampleTable(): arrow.Table {
  const n = 100_000;
  const x = arrow.vectorFromArray(
    Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : i)),
    new arrow.Int32(),
  );
  const y = arrow.vectorFromArray(Float64Array.from({ length: n }, (_, i) => i / 2));
  return new arrow.Table({ x, y });
}

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('the task did not fail');
}

describe('the worker pool', () => {
  it('transfers an Arrow table to a worker and back', async () => {
    const table = sampleTable();
    const ipc = tableToTransferable(table);
    const sent = ipc.byteLength;
    const result = await pool.run<{ ipc: Uint8Array }>(
      'arrow.echo',
      { ipc },
      { transferList: [ipc.buffer as ArrayBuffer] },
    );
    // A transferred buffer is detached on the sending side; a cloned one would keep its bytes.
    expect(ipc.byteLength).toBe(0);
    expect(result.ipc.byteLength).toBeGreaterThan(sent / 2);
    const back = tableFromTransferable(result.ipc);
    expect(back.numRows).toBe(100_000);
    expect(back.getChild('x')?.nullCount).toBe(10_000);
    expect(back.getChild('x')?.get(11)).toBe(11);
    expect(back.getChild('y')?.get(99_999)).toBe(49_999.5);
  });

  it('runs a kernel on a transferred table', async () => {
    const ipc = tableToTransferable(sampleTable());
    const sum = await pool.run<number>(
      'arrow.sum',
      { ipc, column: 'x' },
      { transferList: [ipc.buffer as ArrayBuffer] },
    );
    // Sum of 0..99,999 minus the multiples of ten: 4,999,950,000 − 10·(0 + ... + 9,999)
    // = 4,999,950,000 − 499,950,000, by hand.
    expect(sum).toBe(4_500_000_000);
  });

  it('moves the buffers it finds anywhere in the payload, once each, and shares shared memory', async () => {
    const a = Float64Array.of(1, 2, 3);
    const c = Int32Array.of(4, 5);
    const shared = new Int32Array(new SharedArrayBuffer(4));
    // `c` appears twice: a buffer listed twice would make postMessage throw.
    const payload = { columns: { a, b: [{ c }, { c }] }, shared };
    const result = await pool.run<{ a: number; c: number[]; shared: number }>('debug.sums', payload, {
      transferList: [a.buffer],
    });
    // Sums by hand: 1 + 2 + 3 = 6 and 4 + 5 = 9; the worker saw the values.
    expect(result).toEqual({ a: 6, c: [9, 9], shared: 0 });
    // Transferred, not cloned: the caller's buffers are detached ...
    expect(a.byteLength).toBe(0);
    expect(c.byteLength).toBe(0);
    // ... and the shared one stays shared: the worker's increment is visible here.
    expect(shared[0]).toBe(1);
  });

  it.runIf(process.platform === 'linux')(
    'runs its threads below the priority of the thread that owns it, unless told not to',
    async () => {
      const { getPriority } = await import('node:os');
      const own = getPriority();
      expect(await pool.run('debug.priority', {})).toBe(Math.min(19, own + 10));
      const level = new WorkerPool({ threads: 1, entry: debugEntry, niceIncrement: 0 });
      try {
        expect(await level.run('debug.priority', {})).toBe(own);
      } finally {
        await level.close();
      }
    },
  );

  it('rejects an unknown task with UNSUPPORTED', async () => {
    const error = await failure(pool.run('no.such.task', {}));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain('no.such.task');
  });

  it("rebuilds a task's EngineError with its code and details", async () => {
    const error = await failure(
      pool.run('debug.throw', { code: 'INSUFFICIENT_DATA', details: { needed: 30, got: 4 } }),
    );
    expect(error.code).toBe('INSUFFICIENT_DATA');
    expect(error.message).toBe('the task failed as asked');
    expect(error.details).toEqual({ needed: 30, got: 4 });
    const missing = await failure(
      pool.run('arrow.sum', { ipc: tableToTransferable(sampleTable()), column: 'z' }),
    );
    expect(missing.code).toBe('VALIDATION_ERROR');
    const internal = await failure(pool.run('debug.type-error', {}));
    expect(internal.code).toBe('INTERNAL');
    expect(internal.message).toBe('not a function');
  });

  it('cancels a running or queued task with CANCELLED and carries on', async () => {
    const running = new AbortController();
    const task = pool.run('debug.sleep', { ms: 20_000 }, { signal: running.signal });
    setTimeout(() => running.abort(), 100);
    expect((await failure(task)).code).toBe('CANCELLED');
    const before = AbortSignal.abort();
    expect((await failure(pool.run('debug.sleep', { ms: 10 }, { signal: before }))).code).toBe('CANCELLED');
    expect(await pool.run('debug.sleep', { ms: 10 })).toBe(10);
  });

  it('fails only the task of a worker that exits, and keeps working', async () => {
    const bystander = pool.run('debug.sleep', { ms: 500 });
    const crash = pool.run('debug.exit', { code: 7 });
    const error = await failure(crash);
    expect(error.code).toBe('WORKER_FAILED');
    expect(error.message).toContain('exited with code: 7');
    expect(await bystander).toBe(500);
    const ipc = tableToTransferable(sampleTable());
    expect(
      await pool.run('arrow.sum', { ipc, column: 'x' }, { transferList: [ipc.buffer as ArrayBuffer] }),
    ).toBe(4_500_000_000);
  });

  it('fails only the task of a worker that runs out of memory, and keeps working', async () => {
    const small = new WorkerPool({
      threads: 1,
      entry: debugEntry,
      resourceLimits: { maxOldGenerationSizeMb: 96 },
    });
    try {
      const error = await failure(small.run('debug.oom', {}));
      expect(error.code).toBe('WORKER_FAILED');
      expect(String((error.cause as Error).message)).toMatch(/memory/i);
      expect(await small.run('debug.sleep', { ms: 5 })).toBe(5);
    } finally {
      await small.close();
    }
  });

  it('reports its load', async () => {
    const stats = pool.stats();
    expect(stats.threads).toBeGreaterThanOrEqual(1);
    expect(stats.threads).toBeLessThanOrEqual(2);
    expect(stats.completed).toBeGreaterThanOrEqual(8);
    expect(stats.queueSize).toBe(0);
    expect(stats.utilization).toBeGreaterThanOrEqual(0);
    expect(stats.utilization).toBeLessThanOrEqual(1);
    expect(new WorkerPool().stats()).toEqual({ threads: 0, queueSize: 0, utilization: 0, completed: 0 });
  });

  it('uses up to the configured number of threads', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => pool.run<number>('debug.thread', {})));
    expect(new Set(ids).size).toBeLessThanOrEqual(2);
  });

  it('refuses work once closed', async () => {
    const closing = new WorkerPool({ threads: 1, entry: debugEntry });
    expect(await closing.run('debug.sleep', { ms: 1 })).toBe(1);
    await closing.close();
    await closing.close();
    expect((await failure(closing.run('debug.sleep', { ms: 1 }))).code).toBe('INTERNAL');
  });
});

describe("the engine's pool", () => {
  it('runs the engine tasks and closes with the engine', async () => {
    const engine = await openEngine({ path: ':memory:', workers: { threads: 1 } });
    const ipc = tableToTransferable(sampleTable());
    const sum = await internalContext(engine).pool.run<number>('arrow.sum', { ipc, column: 'y' });
    // Sum of i / 2 for i in 0..99,999 = 4,999,950,000 / 2, by hand.
    expect(sum).toBe(2_499_975_000);
    expect(internalContext(engine).pool.stats().threads).toBe(1);
    await engine.close();
    expect(internalContext(engine).pool.stats().threads).toBe(0);
  });

  it('leaves nothing open: a process that ran a task and closed the engine ends by itself', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@incident-insights/source',
        'packages/engine/test/fixtures/engine-task-then-close.ts',
      ],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ sum: 6 });
  });
});
