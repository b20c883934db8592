import type { IncidentStatus, Priority, Severity } from '../schema/enums.ts';
import type { IncidentInput } from '../schema/incident.ts';

/** Options of the synthetic incident generator. Same options → same incidents, byte for byte. */
export interface SyntheticOptions {
  /** Seed of every random choice (any integer; different seeds give different data). */
  readonly seed: number;
  /**
   * Exact number of incidents to generate. Default 20,000 unless {@link ratePerDay} is given,
   * in which case the number follows from the rate and is random.
   */
  readonly count?: number;
  /** Average background incidents a day (before seasonality), instead of an exact count. */
  readonly ratePerDay?: number;
  /** First instant of the window (floored to the UTC hour). Default: {@link end} − {@link days}. */
  readonly start?: Date;
  /**
   * End of the window, exclusive (floored to the UTC hour), and the moment the data is observed:
   * nothing happens after it, so incidents near it are still open. Default: `start + days` when
   * `start` is given, else {@link defaultSyntheticEnd} (fixed, so that output does not depend on the clock).
   */
  readonly end?: Date;
  /** Length of the window in days when `start` or `end` is missing. Default 90. */
  readonly days?: number;
  /**
   * Plant anomalies (count spikes, MTTA shift, severity-mix change, level shift). Default true.
   * They need volume to stand out: none are planted below 2,000 background incidents; the MTTA,
   * severity-mix and level shifts need a window of at least 14 days, the spikes (one per 15 days,
   * at least one) at least 2 days.
   */
  readonly anomalies?: boolean;
  /**
   * Plant recurring problems (fingerprints coming back). Default true. With an exact `count`, they
   * are left out when they would make up more than a quarter of it (about 465 in 90 days).
   */
  readonly recurring?: boolean;
}

/** End of the window when none is given: 2025-01-01T00:00:00Z. */
export const defaultSyntheticEnd = new Date(Date.UTC(2025, 0, 1));

/**
 * One generated incident: every column of the incident record except `id` (the store assigns it),
 * with `external_id` `SYN-<n>`, n = 1, 2, … in order of `created_at`. Timestamps are UTC `Date`s;
 * any of acknowledged/resolved/closed that would fall after the window's end is `null`.
 */
export interface SyntheticIncident {
  external_id: string;
  title: string;
  description: string;
  category: string;
  subcategory: string;
  severity: Severity;
  priority: Priority;
  status: IncidentStatus;
  service: string;
  team: string;
  created_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  escalation_level: number;
  reopen_count: number;
  reassignment_count: number;
  affected_users: number | null;
  tags: string[];
}

// A generated incident must be acceptable ingestion input.
const _isInput: (i: SyntheticIncident) => IncidentInput = (i) => i;
void _isInput;

/** Kinds of planted anomalies. */
export type PlantedAnomalyKind = 'count_spike' | 'mtta_shift' | 'severity_mix' | 'level_shift';

/**
 * One anomaly planted in the data, with what a detector should find.
 *
 * - `count_spike`: an incident storm — `service` gets extra incidents at `factor`× its average
 *   hourly rate (at least 10 an hour) for 1–3 hours. Storm incidents share one symptom and are
 *   mostly HIGH/CRITICAL.
 * - `mtta_shift`: every incident of `team` created in the window takes `factor`× longer to acknowledge.
 * - `severity_mix`: incidents of `service` in the window are drawn with {@link severityWeights}
 *   (LOW, MEDIUM, HIGH, CRITICAL) instead of the service's usual mix.
 * - `level_shift`: the arrival rate of `service` is multiplied by `factor` for the whole window
 *   (a sustained step, days long, not a burst).
 *
 * `incidentExternalIds` lists every incident of the `service` (of the `team` for `mtta_shift`)
 * created in [start, end): the ones a detector would look at, including the ordinary ones that
 * also happened then.
 */
export interface PlantedAnomaly {
  readonly kind: PlantedAnomalyKind;
  /** Affected service; `null` for `mtta_shift`. */
  readonly service: string | null;
  /** Affected team; `null` except for `mtta_shift`. */
  readonly team: string | null;
  /** Window start, inclusive (on a UTC hour). */
  readonly start: Date;
  /** Window end, exclusive (on a UTC hour). */
  readonly end: Date;
  /** Rate multiplier (`count_spike`, `level_shift`), acknowledge-time multiplier (`mtta_shift`); 1 for `severity_mix`. */
  readonly factor: number;
  /** `severity_mix` only: severity weights LOW, MEDIUM, HIGH, CRITICAL in the window. */
  readonly severityWeights?: readonly [number, number, number, number];
  /**
   * `count_spike` and `level_shift`: expected incidents of the service in the window without the
   * anomaly (`baseline`) and with it (`withAnomaly`), from the generator's rates.
   */
  readonly expectedCount?: { readonly baseline: number; readonly withAnomaly: number };
  /** One sentence saying what was planted. */
  readonly description: string;
  readonly incidentExternalIds: string[];
}

/** One planted recurring problem and every incident it produced. */
export interface RecurringTruth {
  /** Our label of the problem (e.g. `nightly-etl-failure`). */
  readonly fingerprint: string;
  /** Title with the varying number written `{n}`; the same for every occurrence up to that number. */
  readonly title: string;
  readonly service: string;
  readonly team: string;
  readonly category: string;
  readonly subcategory: string;
  readonly severity: Severity;
  /** Period of a periodic problem, hours (each occurrence jittered by a few minutes; a few skipped). */
  readonly periodHours?: number;
  /** Average gap between occurrences, hours (the period, or the Poisson mean of an irregular one). */
  readonly meanIntervalHours: number;
  /** External ids of its incidents, in time order. */
  readonly incidentExternalIds: string[];
}

/** Ground truth of a generated data set. */
export interface SyntheticTruth {
  readonly seed: number;
  readonly start: Date;
  readonly end: Date;
  /** Incidents generated. */
  readonly count: number;
  readonly anomalies: readonly PlantedAnomaly[];
  readonly recurring: readonly RecurringTruth[];
}

/**
 * A generated data set. `incidents` and `batches()` can be iterated any number of times and give the
 * same incidents each time, generating them on the fly (constant memory). `truth` is computed on
 * first access by regenerating only the hours it needs.
 */
export interface SyntheticData {
  readonly count: number;
  readonly start: Date;
  readonly end: Date;
  readonly incidents: Iterable<SyntheticIncident>;
  /** The incidents in arrays of one hour each (or smaller pieces of at most `maxSize`). */
  batches(maxSize?: number): Iterable<SyntheticIncident[]>;
  readonly truth: SyntheticTruth;
}
