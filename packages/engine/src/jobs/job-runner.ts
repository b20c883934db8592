import { interruptedError } from './job-errors.ts';
import { abortRun, type ExecutionEnvironment, executeJob } from './job-execution.ts';
import type { JobLane } from './job-types.ts';
import type { ScheduleConfig } from './schedule-slots.ts';
import type { Scheduler } from './scheduler.ts';

/** Options of `engine.jobs.startRunner`. */
export interface JobRunnerOptions {
  /** The schedules to run (default `defaultSchedules`); `false` runs none (`serve --no-schedule`). */
  readonly schedules?: readonly ScheduleConfig[] | false;
  /** How often the queue and the schedules are looked at, in milliseconds (default 1000). */
  readonly pollMs?: number;
  /** Standard-lane jobs run at the same time (default 1); one express-lane job runs beside them. */
  readonly concurrency?: number;
  /** How long a claim lasts without a heartbeat, in seconds (default the engine's `jobs.leaseSeconds`, 60). */
  readonly leaseSeconds?: number;
}

/** A running job runner: `stop()` stops claiming, aborts the jobs it runs and waits for them. */
export interface JobRunner {
  stop(): Promise<void>;
}

/**
 * The loop behind {@link JobRunner}: every `pollMs` it expires RUNNING jobs whose lease ended
 * (their runner died), queues the due schedule slots, then claims queued jobs: one of the express
 * lane's kinds (webhook delivery) at a time, and the other kinds up to `concurrency`, so a short
 * job never waits behind a long analysis.
 * `stop()` aborts the jobs it is running, waits for their handlers, and leaves each re-queued (or
 * CANCELLED when a cancellation was asked): never RUNNING.
 */
export class PollingJobRunner implements JobRunner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopping: Promise<void> | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly lanes: Readonly<Record<JobLane, { readonly kinds: string[]; readonly ids: Set<string> }>>;

  constructor(
    private readonly env: ExecutionEnvironment,
    private readonly scheduler: Scheduler | undefined,
    private readonly options: { readonly pollMs: number; readonly concurrency: number },
    private readonly onError: (error: unknown) => void,
  ) {
    const kinds = [...env.kinds.values()];
    const laneOf = (lane: JobLane) => ({
      kinds: kinds.filter((k) => (k.lane ?? 'standard') === lane).map((k) => k.kind),
      ids: new Set<string>(),
    });
    this.lanes = { express: laneOf('express'), standard: laneOf('standard') };
  }

  /** Starts the loop: the first tick runs at once. */
  start(): void {
    this.schedule(0);
  }

  /** Runs one tick now (also what the timer calls); resolves when its claims have started. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.tickOnce()).catch(this.onError);
    return this.ticking;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      await this.ticking;
      for (const id of this.running.keys()) {
        const run = this.env.active.get(id);
        if (run) abortRun(run, 'stop');
      }
      await Promise.allSettled(this.running.values());
    })();
    return this.stopping;
  }

  private schedule(delay: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().finally(() => this.schedule(this.options.pollMs));
    }, delay);
  }

  private async tickOnce(): Promise<void> {
    if (this.stopping) return;
    const { queue, now, kinds } = this.env;
    await queue.expire({
      leaseEndedBefore: now(),
      now: now(),
      ignore: new Set(this.env.active.keys()),
      requeue: (job) => kinds.get(job.kind)?.onInterrupted === 'requeue' && job.attempts < job.max_attempts,
      error: interruptedError,
    });
    if (this.scheduler) await this.scheduler.tick(now());
    await this.claimInto(this.lanes.express, 1);
    await this.claimInto(this.lanes.standard, this.options.concurrency);
  }

  /** Claims queued jobs of a lane's kinds while the lane runs fewer than `limit`. */
  private async claimInto(lane: { readonly kinds: string[]; readonly ids: Set<string> }, limit: number) {
    while (!this.stopping && lane.kinds.length > 0 && lane.ids.size < limit) {
      const job = await this.env.queue.claim({
        kinds: lane.kinds,
        now: this.env.now(),
        leaseSeconds: this.env.leaseSeconds,
      });
      if (!job) break;
      const execution = executeJob(this.env, job)
        .catch(this.onError)
        .finally(() => {
          this.running.delete(job.id);
          lane.ids.delete(job.id);
          // A slot freed: look for the next job without waiting a whole period.
          if (!this.stopping) void this.tick();
        });
      this.running.set(job.id, execution);
      lane.ids.add(job.id);
    }
  }
}
