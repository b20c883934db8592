import { systemActor } from '../auth/policy.ts';
import { EngineError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import type { JobQueue } from './job-queue.ts';
import { prepareJob } from './job-request.ts';
import type { JobKind } from './job-types.ts';
import { dueSlot, nextRunAt, type ScheduleConfig, type ScheduleState } from './schedule-slots.ts';

interface StoredSlot {
  readonly lastSlot: Date;
  readonly lastRunAt: Date;
  readonly lastJobId: string | null;
}

/**
 * Checks a schedule list: unique names, known kinds, valid parameters (as the system actor would
 * submit them) and a whole period of at least one second.
 *
 * @throws EngineError VALIDATION_ERROR naming the schedule and what is wrong.
 */
export function checkSchedules(
  schedules: readonly ScheduleConfig[],
  kinds: ReadonlyMap<string, JobKind>,
): void {
  const names = new Set<string>();
  for (const [index, schedule] of schedules.entries()) {
    const field = `schedules.${index}`;
    if (typeof schedule.name !== 'string' || schedule.name === '' || names.has(schedule.name)) {
      throw new EngineError('VALIDATION_ERROR', 'each schedule needs a name of its own', {
        field: `${field}.name`,
      });
    }
    names.add(schedule.name);
    if (!Number.isInteger(schedule.everySeconds) || schedule.everySeconds < 1) {
      throw new EngineError(
        'VALIDATION_ERROR',
        `schedule ${schedule.name}: every must be a whole number of seconds from 1`,
        {
          field: `${field}.everySeconds`,
          value: schedule.everySeconds,
        },
      );
    }
    prepareJob(
      kinds,
      { kind: schedule.kind, parameters: schedule.parameters ?? {} },
      systemActor,
      schedule.name,
    );
  }
}

/**
 * Runs named schedules against the `job_schedules` table: each tick queues a job for every enabled
 * schedule whose current slot has not run yet (see {@link dueSlot}) and records the slot, so a
 * restart neither repeats a slot nor runs every slot it missed. A slot whose kind and scope already
 * have a job QUEUED or RUNNING joins that job.
 */
export class Scheduler {
  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly kinds: ReadonlyMap<string, JobKind>,
    private readonly schedules: readonly ScheduleConfig[],
  ) {}

  /** Queues the due slots at `now`; returns the ids of the jobs queued or joined. */
  async tick(now: Date): Promise<string[]> {
    const stored = await readSlots(this.db);
    const ids: string[] = [];
    for (const schedule of this.schedules) {
      if (schedule.enabled === false) continue;
      const slot = dueSlot(schedule.everySeconds, now, stored.get(schedule.name)?.lastSlot ?? null);
      if (!slot) continue;
      const request = { kind: schedule.kind, parameters: schedule.parameters ?? {} };
      const { job } = await this.queue.enqueue(
        prepareJob(this.kinds, request, systemActor, schedule.name),
        now,
      );
      await this.db.run(
        `INSERT INTO job_schedules (name, kind, last_slot_at, last_run_at, last_job_id)
         VALUES ($name, $kind, $slot, $now, $job)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, last_slot_at = excluded.last_slot_at,
           last_run_at = excluded.last_run_at, last_job_id = excluded.last_job_id`,
        { name: schedule.name, kind: schedule.kind, slot, now, job: job.id },
      );
      ids.push(job.id);
    }
    return ids;
  }

  /** The schedules with their state at `now`. */
  async states(now: Date): Promise<ScheduleState[]> {
    return scheduleStates(this.db, this.schedules, now);
  }
}

/** `schedules` with their stored state at `now` (never run: `last_run_at` null, due now). */
export async function scheduleStates(
  db: Database,
  schedules: readonly ScheduleConfig[],
  now: Date,
): Promise<ScheduleState[]> {
  const stored = await readSlots(db);
  return schedules.map((schedule) => {
    const state = stored.get(schedule.name);
    const enabled = schedule.enabled !== false;
    return {
      name: schedule.name,
      kind: schedule.kind,
      parameters: { ...(schedule.parameters ?? {}) },
      every_seconds: schedule.everySeconds,
      enabled,
      last_run_at: state?.lastRunAt ?? null,
      next_run_at: enabled ? nextRunAt(schedule.everySeconds, now, state?.lastSlot ?? null) : null,
      last_job_id: state?.lastJobId ?? null,
    };
  });
}

async function readSlots(db: Database): Promise<Map<string, StoredSlot>> {
  const rows = await db.all<{
    name: string;
    last_slot_at: Date;
    last_run_at: Date;
    last_job_id: string | null;
  }>('SELECT name, last_slot_at, last_run_at, last_job_id FROM job_schedules');
  return new Map(
    rows.map((r) => [
      r.name,
      { lastSlot: r.last_slot_at, lastRunAt: r.last_run_at, lastJobId: r.last_job_id },
    ]),
  );
}
