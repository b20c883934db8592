import type { AnomalySeverity } from '../../schema/enums.ts';

/** The anomaly an explanation is computed for: what a merged group will be stored as. */
export interface AnomalyToExplain {
  /** Index of the group in the run's list (explanations come back in the same order). */
  readonly index: number;
  readonly anomalyType: string;
  /** The primary series, e.g. `hour|service|Payments|count` (see `run/incident-series.ts`). */
  readonly seriesKey: string;
  readonly memberSeries: readonly string[];
  /** The stored window, epoch ms, end exclusive. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The primary series' related incident ids (the evidence). */
  readonly relatedIncidents: readonly string[];
  readonly affectedServices: readonly string[];
  readonly affectedMetrics: readonly string[];
  /** The primary draft's metadata (method, expected value, BEHAVIORAL before/after...). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The run's range: history the baseline is read from, and the reported window. */
export interface ExplainRange {
  /** Start of the history (the baseline). */
  readonly from: Date;
  /** End of the examined range (exclusive). */
  readonly to: Date;
  /** Start of the reported window. */
  readonly start: Date;
}

/** Root cause of one anomaly: a paragraph and its structured evidence. */
export interface RootCause {
  /** `root_cause_analysis`: a short paragraph read in ten seconds. */
  readonly text: string;
  /** Stored under `metadata.root_cause` (slices, scores, linked recurrences, anomalies, changes). */
  readonly evidence: Record<string, unknown>;
}

/** Impact of one anomaly: a paragraph, its structured figures, and the severity it warrants. */
export interface Impact {
  /** `impact_assessment`: a short paragraph. */
  readonly text: string;
  /** Stored under `metadata.impact` (incidents, users, downtime, cost by type, SLA, MTTA/MTTR). */
  readonly evidence: Record<string, unknown>;
  /** The lowest severity the impact warrants (an SLA breach is never LOW); null when none. */
  readonly severityFloor: AnomalySeverity | null;
}
