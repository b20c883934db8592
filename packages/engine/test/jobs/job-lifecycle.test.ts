import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EngineContext } from '../../src/context.ts';
import { type Engine, EngineError, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { defineJobKind } from '../../src/jobs/job-kind-helpers.ts';
import { type JobService, openJobService } from '../../src/jobs/job-service.ts';
import type { JobKind } from '../../src/jobs/job-types.ts';

// Retries, final errors, cancellation of running jobs and the runner's stop, on the real queue
// (the engine's database) with kinds made for the test. The clock is pinned and moved by hand.
const start = new Date('2024-03-01T12:00:00Z');
let clock = start;
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};
let engine: Engine;
let closers: (() => Promise<void>)[] = [];
/** Lets a `blocking` handler return: resolved by the test. */
let release: () => void = () => {};
let started: string[] = [];

const empty = z.object({}).strict();
const testKinds: JobKind[] = [
  defineJobKind({
    kind: 'flaky',
    description: 'always fails with a transient error',
    parameters: empty,
    action: 'analyses.write',
    scope: () => 'all',
    onInterrupted: 'requeue',
    maxAttempts: 3,
    run: async (ctx) => {
      throw new EngineError('WORKER_FAILED', `worker crashed on attempt ${ctx.attempt}`, {
        attempt: ctx.attempt,
      });
    },
  }),
  defineJobKind({
    kind: 'missing',
    description: 'fails with a final error',
    parameters: empty,
    action: 'analyses.write',
    scope: () => 'all',
    onInterrupted: 'requeue',
    run: async () => {
      throw new EngineError('NOT_FOUND', 'metric m was not found', { id: 'm' });
    },
  }),
  defineJobKind({
    kind: 'chatty',
    description: 'reports progress a thousand times in a burst',
    parameters: empty,
    action: 'analyses.write',
    scope: () => 'all',
    onInterrupted: 'requeue',
    run: async (ctx) => {
      for (let done = 1; done <= 1000; done++) ctx.progress({ done, total: 1000, message: `step ${done}` });
      return null;
    },
  }),
  defineJobKind({
    kind: 'blocking',
    description: 'runs until released or stopped',
    parameters: empty,
    action: 'analyses.write',
    scope: () => 'all',
    onInterrupted: 'requeue',
    run: async (ctx) => {
      started.push(ctx.jobId);
      ctx.progress({ done: 1, total: 2, message: 'half way' });
      await new Promise<void>((resolve, reject) => {
        release = resolve;
        ctx.signal.addEventListener('abort', () => reject(new EngineError('CANCELLED', 'stopped')));
      });
      return { finished: true };
    },
  }),
  defineJobKind({
    kind: 'quick',
    description: 'a short job of the express lane',
    parameters: empty,
    action: 'analyses.write',
    scope: () => 'all',
    onInterrupted: 'requeue',
    lane: 'express',
    run: async () => ({ quick: true }),
  }),
];

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out waiting');
}

async function jobsWith(options: { retryDelaySeconds?: number } = {}): Promise<JobService> {
  const context: EngineContext = {
    ...internalContext(engine),
    jobKinds: testKinds,
    onClose: (work) => closers.push(work),
  };
  return openJobService(context, options);
}

beforeEach(async () => {
  clock = start;
  started = [];
  closers = [];
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
});
afterEach(async () => {
  for (const close of closers) await close();
  await engine.close();
});

describe('retries', () => {
  it('retries a transient error with exponential backoff, then FAILS keeping the error', async () => {
    const jobs = await jobsWith({ retryDelaySeconds: 10 });
    const runner = jobs.startRunner({ schedules: false, pollMs: 5 });
    const { job } = await jobs.submit({ kind: 'flaky' });
    // Attempt 1 fails at 12:00:00: the next run is due 10 s later (10 × 2^0).
    let now = await until(
      () => jobs.get(job.id),
      (j) => j.attempts === 1 && j.status === 'QUEUED',
    );
    expect(now.run_after).toEqual(new Date('2024-03-01T12:00:10Z'));
    expect(now.error).toEqual({
      code: 'WORKER_FAILED',
      message: 'worker crashed on attempt 1',
      details: { attempt: 1 },
    });
    // Not before its time.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await jobs.get(job.id)).attempts).toBe(1);
    advance(10);
    // Attempt 2 fails at 12:00:10: the next is due 20 s later (10 × 2^1).
    now = await until(
      () => jobs.get(job.id),
      (j) => j.attempts === 2 && j.status === 'QUEUED',
    );
    expect(now.run_after).toEqual(new Date('2024-03-01T12:00:30Z'));
    advance(20);
    now = await until(
      () => jobs.get(job.id),
      (j) => j.status === 'FAILED',
    );
    expect(now.attempts).toBe(3);
    expect(now.finished_at).toEqual(new Date('2024-03-01T12:00:30Z'));
    expect(now.error).toEqual({
      code: 'WORKER_FAILED',
      message: 'worker crashed on attempt 3',
      details: { attempt: 3 },
    });
    await runner.stop();
  });

  it('fails at once on a final error (NOT_FOUND), without retrying', async () => {
    const jobs = await jobsWith({ retryDelaySeconds: 0 });
    const job = await jobs.run({ kind: 'missing' });
    expect(job).toMatchObject({ status: 'FAILED', attempts: 1, finished_at: start });
    expect(job.error).toEqual({ code: 'NOT_FOUND', message: 'metric m was not found', details: { id: 'm' } });
  });

  it('retries in-process in run() too, and resolves with the FAILED job', async () => {
    const jobs = await jobsWith({ retryDelaySeconds: 0 });
    const job = await jobs.run({ kind: 'flaky' });
    expect(job).toMatchObject({ status: 'FAILED', attempts: 3 });
  });
});

describe('an idle runner', () => {
  it('polls without writing, so caches keyed by the write generation stay valid', async () => {
    const jobs = await jobsWith();
    const db = internalContext(engine).db;
    const runner = jobs.startRunner({ schedules: false, pollMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const before = db.generation;
    await new Promise((resolve) => setTimeout(resolve, 100)); // about 20 polls
    expect(db.generation).toBe(before);
    await runner.stop();
  });
});

describe('lanes', () => {
  it('runs an express job while a long standard job holds the only standard slot', async () => {
    const jobs = await jobsWith();
    const runner = jobs.startRunner({ schedules: false, pollMs: 5 });
    const long = (await jobs.submit({ kind: 'blocking' })).job;
    await until(
      () => jobs.get(long.id),
      (j) => j.status === 'RUNNING',
    );
    const waiting = (await jobs.submit({ kind: 'chatty' })).job;
    const quick = (await jobs.submit({ kind: 'quick' })).job;
    const done = await until(
      () => jobs.get(quick.id),
      (j) => j.status === 'SUCCEEDED',
    );
    expect(done.result).toEqual({ quick: true });
    // The standard lane still runs one job at a time: the second standard job waits.
    expect((await jobs.get(waiting.id)).status).toBe('QUEUED');
    expect((await jobs.get(long.id)).status).toBe('RUNNING');
    release();
    await until(
      () => jobs.get(waiting.id),
      (j) => j.status === 'SUCCEEDED',
    );
    await runner.stop();
  });
});

describe('progress', () => {
  it('reaches the database a few times, not once per report, and ends at the last report', async () => {
    const jobs = await jobsWith();
    const db = internalContext(engine).db;
    const before = db.generation;
    const heard: number[] = [];
    const job = await jobs.run({ kind: 'chatty' }, { onProgress: (p) => heard.push(p.done) });
    expect(heard).toHaveLength(1000); // the in-process listener hears every report
    expect(job.progress).toEqual({ done: 1000, total: 1000, message: 'step 1000' });
    // Writes: the submit, the claim, the first report, the pending one flushed at the end, the
    // completion; 1000 reports in one burst fall within one 250 ms interval.
    expect(db.generation - before).toBeLessThanOrEqual(6);
  });
});

describe('cancelling and stopping a running job', () => {
  it('aborts the handler of a RUNNING job and marks it CANCELLED', async () => {
    const jobs = await jobsWith();
    const runner = jobs.startRunner({ schedules: false, pollMs: 5 });
    const { job } = await jobs.submit({ kind: 'blocking' });
    const running = await until(
      () => jobs.get(job.id),
      (j) => j.status === 'RUNNING' && j.progress.done === 1,
    );
    expect(running.progress).toEqual({ done: 1, total: 2, message: 'half way' });
    // Deduplicated while it runs.
    expect(await jobs.submit({ kind: 'blocking' })).toMatchObject({
      deduplicated: true,
      job: { id: job.id },
    });
    // A waiter hears the progress, and may stop waiting without touching the job.
    const seen: { status: string; message: string | null }[] = [];
    const stopWaiting = new AbortController();
    const waiter = jobs.wait(job.id, {
      signal: stopWaiting.signal,
      onProgress: (j) => seen.push({ status: j.status, message: j.progress.message }),
    });
    await until(
      async () => seen.length,
      (n) => n > 0,
    );
    stopWaiting.abort();
    await expect(waiter).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen[0]).toEqual({ status: 'RUNNING', message: 'half way' });
    // The handler is aborted at once; the answer is RUNNING with the request, or already CANCELLED
    // when the handler's end was written first.
    const asked = await jobs.cancel(job.id);
    expect(asked.cancel_requested).toBe(true);
    expect(['RUNNING', 'CANCELLED']).toContain(asked.status);
    const final = await jobs.wait(job.id);
    expect(final).toMatchObject({ status: 'CANCELLED', result: null });
    await runner.stop();
  });

  it('stop() leaves no job RUNNING: the running one goes back to the queue and runs again later', async () => {
    const jobs = await jobsWith();
    const runner = jobs.startRunner({ schedules: false, pollMs: 5 });
    const { job } = await jobs.submit({ kind: 'blocking' });
    await until(
      () => jobs.get(job.id),
      (j) => j.status === 'RUNNING',
    );
    await runner.stop();
    expect(await jobs.get(job.id)).toMatchObject({ status: 'QUEUED', attempts: 1 });
    // A new runner picks it up; released, it succeeds on its second run.
    const again = jobs.startRunner({ schedules: false, pollMs: 5 });
    await until(
      () => jobs.get(job.id),
      (j) => j.status === 'RUNNING' && j.attempts === 2,
    );
    await until(
      async () => started.length,
      (n) => n === 2,
    );
    release();
    expect(await jobs.wait(job.id)).toMatchObject({
      status: 'SUCCEEDED',
      attempts: 2,
      result: { finished: true },
    });
    await again.stop();
  });

  it('run() cancelled while a retry waits out its backoff ends CANCELLED at once', async () => {
    const jobs = await jobsWith({ retryDelaySeconds: 600 });
    const controller = new AbortController();
    const running = jobs.run({ kind: 'flaky' }, { signal: controller.signal });
    const waiting = await until(
      async () => (await jobs.list({ filters: { kind: 'flaky' } })).results[0],
      (j) => j?.status === 'QUEUED' && j.attempts === 1,
    );
    expect(waiting?.run_after).toEqual(new Date('2024-03-01T12:10:00Z')); // 600 s after the failure
    controller.abort();
    expect(await running).toMatchObject({ status: 'CANCELLED', attempts: 1 });
  });

  it('run() with an aborted signal cancels its job', async () => {
    const jobs = await jobsWith();
    const controller = new AbortController();
    const running = jobs.run({ kind: 'blocking' }, { signal: controller.signal });
    await until(
      async () => started.length,
      (n) => n === 1,
    );
    controller.abort();
    expect(await running).toMatchObject({ status: 'CANCELLED', attempts: 1 });
  });

  it('expires a RUNNING job whose lease ended (its runner died) and re-queues it', async () => {
    const jobs = await jobsWith();
    const { job } = await jobs.submit({ kind: 'flaky' });
    // A claim nobody heartbeats: as if the process holding it had stopped answering.
    const db = internalContext(engine).db;
    await db.run(
      `UPDATE jobs SET status = 'RUNNING', attempts = 1, lease_expires_at = $lease WHERE id::VARCHAR = $id`,
      { id: job.id, lease: new Date(start.getTime() + 60_000) },
    );
    const runner = jobs.startRunner({ schedules: false, pollMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await jobs.get(job.id)).status).toBe('RUNNING'); // the lease still holds
    advance(61);
    // Past its lease the runner re-queues it and runs it again: attempt 2 (which fails, as this kind does).
    const rerun = await until(
      () => jobs.get(job.id),
      (j) => j.attempts === 2 && j.status === 'QUEUED',
    );
    expect(rerun.error?.message).toBe('worker crashed on attempt 2');
    await runner.stop();
  });
});
