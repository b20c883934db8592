import type { RecurrenceType } from './kernels/find-recurrences.ts';

/** What a suggested description is written from. */
export interface DescriptionFacts {
  readonly type: RecurrenceType;
  /** A representative incident title, as written. */
  readonly title: string;
  readonly occurrences: number;
  readonly services: readonly string[];
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** Mean interval between occurrences, hours. */
  readonly meanIntervalHours: number | null;
  /** Median interval (the period) for PERIODIC groups, hours. */
  readonly periodHours: number | null;
  /** Occurrences a PERIODIC schedule missed. */
  readonly skipped: number;
  /** Distinct fingerprints in the group. */
  readonly variants: number;
}

/**
 * A one-sentence description of a recurrence for people, e.g. "'Disk full on /var' recurred 14
 * times on billing-db between 2024-01-01 10:00 and 2024-01-14 10:05 UTC, about every 24 h."
 */
export function describeRecurrence(f: DescriptionFacts): string {
  const title = `'${f.title.length > 120 ? `${f.title.slice(0, 117)}...` : f.title}'`;
  const where = `on ${serviceList(f.services)}`;
  const when = `between ${utc(f.firstSeen)} and ${utc(f.lastSeen)} UTC`;
  switch (f.type) {
    case 'PERIODIC':
      return `${title} recurs on a schedule ${where}: ${f.occurrences} times ${when}, every ${duration(f.periodHours)}${
        f.skipped > 0 ? ` (${f.skipped} expected occurrence${f.skipped === 1 ? '' : 's'} did not happen)` : ''
      }.`;
    case 'SIMILAR_TEXT':
      return `Incidents like ${title} (${f.variants} wordings) recurred ${f.occurrences} times ${where} ${when}, about every ${duration(f.meanIntervalHours)}.`;
    case 'EXACT_FINGERPRINT':
      return `${title} recurred ${f.occurrences} times ${where} ${when}, about every ${duration(f.meanIntervalHours)}.`;
  }
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more services"; "an unknown service" when empty. */
function serviceList(services: readonly string[]): string {
  if (services.length === 0) return 'an unknown service';
  if (services.length === 1) return services[0]!;
  if (services.length <= 3) return `${services.slice(0, -1).join(', ')} and ${services.at(-1)}`;
  return `${services.slice(0, 3).join(', ')} and ${services.length - 3} more services`;
}

/** Hours in words: "45 min", "6.5 h", "24 h", "3.5 days"; "an unknown interval" for null. */
function duration(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return 'an unknown interval';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? Math.round(days * 10) / 10 : Math.round(days)} days`;
}

function utc(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}
