import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EngineContext } from '../../src/context.ts';
import { type Actor, type Engine, EngineError, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { defineJobKind } from '../../src/jobs/job-kind-helpers.ts';
import { type JobService, openJobService } from '../../src/jobs/job-service.ts';
import type { JobKind } from '../../src/jobs/job-types.ts';

// engine.jobs.statistics: counts by kind and status and the durations of the jobs that ran, on the
// real queue with kinds made for the test. The clock is pinned; each handler moves it by the
// number of seconds it is asked to last, so every duration is exact.
let clock = new Date('2024-03-01T12:00:00Z');
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};
let engine: Engine;
let closers: (() => Promise<void>)[] = [];

const lasting = z.object({ seconds: z.number() }).strict();
const testKinds: JobKind[] = [
  defineJobKind({
    kind: 'timed',
    description: 'lasts the given seconds on the test clock',
    parameters: lasting,
    action: 'analyses.write',
    scope: (p) => String(p.seconds),
    onInterrupted: 'requeue',
    run: async (ctx) => {
      advance(ctx.parameters.seconds);
      return null;
    },
  }),
  defineJobKind({
    kind: 'doomed',
    description: 'lasts the given seconds, then fails with a final error',
    parameters: lasting,
    action: 'analyses.write',
    scope: (p) => String(p.seconds),
    onInterrupted: 'requeue',
    run: async (ctx) => {
      advance(ctx.parameters.seconds);
      throw new EngineError('NOT_FOUND', 'metric m was not found', { id: 'm' });
    },
  }),
];

async function testJobs(): Promise<JobService> {
  const context: EngineContext = {
    ...internalContext(engine),
    jobKinds: testKinds,
    onClose: (work) => closers.push(work),
  };
  return openJobService(context, { retryDelaySeconds: 0 });
}

beforeEach(async () => {
  clock = new Date('2024-03-01T12:00:00Z');
  closers = [];
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
});
afterEach(async () => {
  for (const close of closers) await close();
  await engine.close();
});

describe('engine.jobs.statistics', () => {
  it('counts jobs by kind and status, with the cumulative durations of those that ran', async () => {
    const jobs = await testJobs();
    for (const seconds of [0.5, 2, 30]) await jobs.run({ kind: 'timed', parameters: { seconds } });
    await jobs.run({ kind: 'doomed', parameters: { seconds: 5 } });
    await jobs.submit({ kind: 'timed', parameters: { seconds: 1 } }); // stays QUEUED (no runner)
    const { job: dropped } = await jobs.submit({ kind: 'timed', parameters: { seconds: 7 } });
    await jobs.cancel(dropped.id); // CANCELLED before it ever started: no duration

    // Worked by hand over the bounds 1, 10 and 60 s: the runs lasted 0.5, 2 and 30 s (sum 32.5;
    // at most 1 s: one, at most 10 s: two, at most 60 s: three) and the failed one 5 s.
    expect(await jobs.statistics({ durationBuckets: [1, 10, 60] })).toEqual([
      {
        kind: 'doomed',
        status: 'FAILED',
        count: 1,
        durations: { count: 1, sumSeconds: 5, atMost: [0, 1, 1] },
      },
      {
        kind: 'timed',
        status: 'CANCELLED',
        count: 1,
        durations: { count: 0, sumSeconds: 0, atMost: [0, 0, 0] },
      },
      {
        kind: 'timed',
        status: 'QUEUED',
        count: 1,
        durations: { count: 0, sumSeconds: 0, atMost: [0, 0, 0] },
      },
      {
        kind: 'timed',
        status: 'SUCCEEDED',
        count: 3,
        durations: { count: 3, sumSeconds: 32.5, atMost: [1, 2, 3] },
      },
    ]);
    // Without bounds: the same counts and sums, no buckets.
    const plain = await jobs.statistics();
    expect(plain.map((s) => [s.kind, s.status, s.count, s.durations.sumSeconds, s.durations.atMost])).toEqual(
      [
        ['doomed', 'FAILED', 1, 5, []],
        ['timed', 'CANCELLED', 1, 0, []],
        ['timed', 'QUEUED', 1, 0, []],
        ['timed', 'SUCCEEDED', 3, 32.5, []],
      ],
    );
  });

  it('refuses bounds that are not finite, positive and ascending', async () => {
    for (const durationBuckets of [[10, 5], [1, 1], [0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]]) {
      const error = await engine.jobs.statistics({ durationBuckets }).catch((e: unknown) => e);
      expect(error, JSON.stringify(durationBuckets)).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'durationBuckets' } });
    }
    const tooMany = Array.from({ length: 51 }, (_, i) => i + 1);
    await expect(engine.jobs.statistics({ durationBuckets: tooMany })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('is a read: any user may ask, and an empty store has no rows', async () => {
    const viewer: Actor = {
      userId: '00000000-0000-4000-8000-000000000001',
      username: 'vera',
      roles: ['viewer'],
    };
    expect(await engine.as(viewer).jobs.statistics({ durationBuckets: [1] })).toEqual([]);
  });
});
