import type { JsonValue } from './job-types.ts';

/** A schedule: queue a job of `kind` with `parameters` every `everySeconds`. */
export interface ScheduleConfig {
  /** Unique name; the state (last slot run) is kept under it across restarts. */
  readonly name: string;
  readonly kind: string;
  readonly parameters?: Readonly<Record<string, JsonValue>>;
  /** The period in seconds; slots start at multiples of it since 1970-01-01T00:00Z. */
  readonly everySeconds: number;
  /** Default true; a disabled schedule is shown but never runs. */
  readonly enabled?: boolean;
}

/** A schedule as `engine.jobs.schedules()` and `GET /api/jobs/schedules/` show it. */
export interface ScheduleState {
  readonly name: string;
  readonly kind: string;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  readonly every_seconds: number;
  readonly enabled: boolean;
  /** When the schedule last queued (or joined) a job. */
  readonly last_run_at: Date | null;
  /** When it runs next: the start of the next slot, or now when a slot is due; `null` when disabled. */
  readonly next_run_at: Date | null;
  readonly last_job_id: string | null;
}

/**
 * What `insights serve` runs unless told otherwise: KPIs every hour (each active metric over its
 * window), anomaly detection every 15 minutes, recurrence analysis every 6 hours, the training of
 * the predictive models that are due daily, the predictions of new incidents every 5 minutes, predictive
 * insights every hour (validating the ended ones, then generating), and the cleanup of expired
 * insights and old KPI measurements daily, the cost analyses every hour, and the heatmaps every hour.
 */
export const defaultSchedules: readonly ScheduleConfig[] = Object.freeze([
  { name: 'kpis-hourly', kind: 'calculate_kpis', everySeconds: 3600 },
  { name: 'anomalies-15min', kind: 'run_anomaly_detection', everySeconds: 900 },
  { name: 'recurrence-6h', kind: 'analyze_recurrence', everySeconds: 21_600 },
  { name: 'models-daily', kind: 'train_predictive_models', everySeconds: 86_400 },
  { name: 'scoring-5min', kind: 'score_incidents', everySeconds: 300 },
  { name: 'insights-hourly', kind: 'generate_insights', everySeconds: 3600 },
  { name: 'costs-hourly', kind: 'calculate_costs', everySeconds: 3600 },
  { name: 'cleanup-daily', kind: 'cleanup', everySeconds: 86_400 },
  { name: 'heatmaps-hourly', kind: 'refresh_heatmaps', everySeconds: 3600 },
]);

/** The slot `at` falls in: the latest multiple of `everySeconds` (since the epoch) not after it. */
export function slotStart(everySeconds: number, at: Date): Date {
  const periodMs = everySeconds * 1000;
  return new Date(Math.floor(at.getTime() / periodMs) * periodMs);
}

/**
 * The slot a schedule should run now, or `null` when none is due: the current slot when the last
 * slot run (`lastSlot`, `null` if never) is an earlier one. However many slots passed during a
 * downtime, only the current one is due, so a missed run is caught up once, not once per slot.
 */
export function dueSlot(everySeconds: number, now: Date, lastSlot: Date | null): Date | null {
  const current = slotStart(everySeconds, now);
  return lastSlot === null || lastSlot.getTime() < current.getTime() ? current : null;
}

/** When the schedule runs next: `now` when a slot is due, else the start of the next slot. */
export function nextRunAt(everySeconds: number, now: Date, lastSlot: Date | null): Date {
  if (dueSlot(everySeconds, now, lastSlot)) return now;
  return new Date(slotStart(everySeconds, now).getTime() + everySeconds * 1000);
}
