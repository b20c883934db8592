import type { Severity } from '../schema/enums.ts';
import { mixSeed, Random } from './random.ts';

/** When a recurring problem happens: on a fixed period with jitter, or at random (Poisson) times. */
type RecurrenceSchedule =
  | {
      readonly kind: 'periodic';
      readonly periodHours: number;
      /** Offset of each occurrence from the period's start (days from midnight, weeks from Monday 00:00 UTC). */
      readonly phaseHours: number;
      /** Standard deviation of the normal jitter around each occurrence, minutes. */
      readonly jitterMinutes: number;
      /** Probability that one occurrence does not happen (the job succeeded that time). */
      readonly skipChance: number;
    }
  | { readonly kind: 'irregular'; readonly meanGapHours: number };

/**
 * One problem that comes back again and again with the same fingerprint: same service, team,
 * category and title and symptom text up to the numbers in them.
 */
export interface RecurringProblem {
  readonly fingerprint: string;
  readonly service: string;
  readonly team: string;
  readonly category: string;
  readonly subcategory: string;
  readonly severity: Severity;
  /** Title; `{n}` is replaced by a number that varies per occurrence. */
  readonly title: string;
  /** Description; `{n}` as in the title. */
  readonly description: string;
  readonly tags: readonly string[];
  readonly schedule: RecurrenceSchedule;
}

/** The planted recurring problems: three periodic (6 h, 24 h, 168 h) and two irregular. */
export const recurringProblems: readonly RecurringProblem[] = [
  {
    fingerprint: 'nightly-etl-failure',
    service: 'reporting',
    team: 'data',
    category: 'Application',
    subcategory: 'Batch Job',
    severity: 'MEDIUM',
    title: 'Nightly ETL job warehouse-load failed with exit code {n}',
    description:
      'The scheduled warehouse-load job aborted; step {n} reported a lock timeout on the staging schema.',
    tags: ['batch', 'monitoring'],
    schedule: { kind: 'periodic', periodHours: 24, phaseHours: 2.25, jitterMinutes: 10, skipChance: 0.1 },
  },
  {
    fingerprint: 'weekly-backup-overrun',
    service: 'orders-db',
    team: 'dba',
    category: 'Database',
    subcategory: 'Backup',
    severity: 'HIGH',
    title: 'Weekly full backup of orders-db overran its window by {n} minutes',
    description: 'The Sunday full backup was still running at the start of business; {n} GB left to copy.',
    tags: ['database', 'monitoring'],
    schedule: {
      kind: 'periodic',
      periodHours: 168,
      phaseHours: 6 * 24 + 3,
      jitterMinutes: 20,
      skipChance: 0,
    },
  },
  {
    fingerprint: 'search-health-flap',
    service: 'search',
    team: 'platform',
    category: 'Infrastructure',
    subcategory: 'Server',
    severity: 'LOW',
    title: 'Health check flapping on search-index node {n}',
    description: 'Health check of search-index node {n} failed twice and recovered during segment merge.',
    tags: ['monitoring'],
    schedule: { kind: 'periodic', periodHours: 6, phaseHours: 0.66, jitterMinutes: 5, skipChance: 0.15 },
  },
  {
    fingerprint: 'notifications-oom',
    service: 'notifications',
    team: 'mobile',
    category: 'Application',
    subcategory: 'Memory',
    severity: 'HIGH',
    title: 'notifications worker OOM-killed (pid {n})',
    description:
      'Worker process {n} exceeded its 2 GiB memory limit while draining the push queue and was killed.',
    tags: ['async', 'monitoring'],
    schedule: { kind: 'irregular', meanGapHours: 60 },
  },
  {
    fingerprint: 'vpn-branch-drop',
    service: 'network',
    team: 'network-ops',
    category: 'Network',
    subcategory: 'VPN',
    severity: 'MEDIUM',
    title: 'VPN tunnel to branch-lyon dropped after {n} s of packet loss',
    description: 'IPsec tunnel to branch-lyon renegotiated after {n} seconds of loss on the ISP uplink.',
    tags: ['infrastructure', 'user-reported'],
    schedule: { kind: 'irregular', meanGapHours: 96 },
  },
];

const hourMs = 3_600_000;
/** Monday 1970-01-05 00:00 UTC: weekly periods are counted from a Monday. */
const mondayMs = 4 * 24 * hourMs;

/**
 * The occurrence times (epoch ms, ascending) of `problem` in [startMs, endMs), drawn from a
 * generator seeded by `seed` and the problem's index. Cost O(occurrences).
 */
export function scheduleOccurrences(
  problem: RecurringProblem,
  index: number,
  seed: number,
  startMs: number,
  endMs: number,
): number[] {
  const rng = new Random(mixSeed(seed, 0x5ec0, index));
  const times: number[] = [];
  const schedule = problem.schedule;
  if (schedule.kind === 'periodic') {
    const period = schedule.periodHours * hourMs;
    const anchor = mondayMs + schedule.phaseHours * hourMs;
    const first = Math.ceil((startMs - anchor) / period);
    for (let k = first; anchor + k * period < endMs; k++) {
      const jitter = rng.normal() * schedule.jitterMinutes * 60_000;
      const skip = rng.chance(schedule.skipChance);
      const at = Math.round(anchor + k * period + jitter);
      if (!skip && at >= startMs && at < endMs) times.push(at);
    }
  } else {
    for (let at = startMs + rng.exponential(schedule.meanGapHours * hourMs); at < endMs; ) {
      times.push(Math.round(at));
      at += rng.exponential(schedule.meanGapHours * hourMs);
    }
  }
  return times.sort((a, b) => a - b);
}
