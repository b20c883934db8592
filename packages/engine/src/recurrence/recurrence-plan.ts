import type { Transaction } from '../store/database.ts';
import { recurrenceConfidence } from './confidence.ts';
import { describeRecurrence } from './describe.ts';
import type { FindRecurrenceOptions, RecurrenceGroup, RecurrenceType } from './kernels/find-recurrences.ts';
import { defaultPeriodicity, periodicity } from './kernels/periodicity.ts';
import type { RecurrenceAnalysis } from './recurrence-record.ts';

/** The analysed window: incident ids in input order, its bounds and the kernel settings. */
export interface WindowIncidents {
  readonly ids: readonly string[];
  readonly start: Date;
  readonly end: Date;
  readonly options: FindRecurrenceOptions;
}

/** What a run will do with one group. */
export interface PlannedAnalysis {
  readonly action: 'created' | 'updated' | 'unchanged';
  /** A resolved analysis seen again after its resolution. */
  readonly reopened: boolean;
  readonly record: RecurrenceAnalysis;
}

interface GroupStats {
  ids: string[];
  times: number[];
  services: string[];
  title: string;
}

const hourMs = 3_600_000;

/**
 * Matches each group to a stored analysis (same signature, else most shared incidents, each stored
 * analysis at most once, largest groups first), computes the statistics of the union of stored and
 * new incidents in SQL, and builds the record each group should have. Reads only.
 */
export async function planAnalysis(
  tx: Transaction,
  groups: readonly RecurrenceGroup[],
  existing: readonly RecurrenceAnalysis[],
  window: WindowIncidents,
  now: Date,
): Promise<PlannedAnalysis[]> {
  const bySignature = new Map(existing.map((a) => [a.fingerprint, a]));
  const byIncident = new Map<string, RecurrenceAnalysis>();
  for (const analysis of existing) for (const id of analysis.related_incidents) byIncident.set(id, analysis);
  const claimed = new Set<string>();
  const order = [...groups].sort((a, b) => b.members.length - a.members.length);
  const matches = order.map((group) => {
    const ids = group.members.map((m) => window.ids[m]!);
    let match = bySignature.get(group.signature);
    if (!match || claimed.has(match.id)) {
      match = undefined;
      const shared = new Map<RecurrenceAnalysis, number>();
      for (const id of ids) {
        const owner = byIncident.get(id);
        if (owner && !claimed.has(owner.id)) shared.set(owner, (shared.get(owner) ?? 0) + 1);
      }
      let best = 0;
      for (const [analysis, count] of shared) {
        if (count > best) {
          best = count;
          match = analysis;
        }
      }
    }
    if (match) claimed.add(match.id);
    const union = match ? [...new Set([...match.related_incidents, ...ids])] : ids;
    return { group, match, union };
  });
  const stats = await groupStats(
    tx,
    matches.map((m) => m.union),
  );
  return matches.map(({ group, match }, i) => buildRecord(group, match, stats[i], window, now));
}

/** Per group: its incidents (oldest first), their times, services and latest title, from the store. */
async function groupStats(tx: Transaction, groups: readonly string[][]): Promise<(GroupStats | undefined)[]> {
  const g: number[] = [];
  const ids: string[] = [];
  groups.forEach((members, i) => {
    for (const id of members) {
      g.push(i);
      ids.push(id);
    }
  });
  if (ids.length === 0) return [];
  // Two comma-joined strings bind in microseconds; lists of 10^4 values take DuckDB's node API
  // about 25 times longer than the query itself.
  const rows = await tx.rows(
    `WITH m AS (SELECT unnest(string_split($g, ','))::INTEGER AS g, unnest(string_split($ids, ','))::UUID AS id)
     SELECT m.g AS g,
       list(i.id::VARCHAR ORDER BY i.created_at, i.id) AS ids,
       list(epoch_ms(i.created_at)::DOUBLE ORDER BY i.created_at, i.id) AS times,
       list_sort(list_distinct(list(i.service))) AS services,
       arg_max(i.title, i.created_at) AS title
     FROM m JOIN incidents i ON i.id = m.id
     GROUP BY m.g`,
    { g: g.join(','), ids: ids.join(',') },
  );
  const out: (GroupStats | undefined)[] = new Array(groups.length);
  for (const row of rows) {
    out[Number(row['g'])] = {
      ids: row['ids'] as string[],
      times: (row['times'] as number[]).map(Number),
      services: (row['services'] as string[] | null) ?? [],
      title: String(row['title'] ?? ''),
    };
  }
  return out;
}

function buildRecord(
  group: RecurrenceGroup,
  match: RecurrenceAnalysis | undefined,
  stats: GroupStats | undefined,
  window: WindowIncidents,
  now: Date,
): PlannedAnalysis {
  // The window's incidents exist (they were just read), so stats is only missing in a race with a delete.
  const s = stats ?? { ids: group.members.map((m) => window.ids[m]!), times: [], services: [], title: '' };
  const n = s.ids.length;
  const first = new Date(s.times[0] ?? window.start.getTime());
  const last = new Date(s.times.at(-1) ?? window.end.getTime());
  const meanInterval = n > 1 ? (last.getTime() - first.getTime()) / hourMs / (n - 1) : null;
  // The kernel judged the window's members; only a group that gained stored incidents is judged again.
  const period = s.ids.length === group.members.length ? group.periodicity : periodicity(s.times, {});
  const previousFingerprints = Array.isArray(match?.metadata['fingerprints'])
    ? (match.metadata['fingerprints'] as string[])
    : [];
  const fingerprints = [...new Set([...group.fingerprints, ...previousFingerprints])];
  const type: RecurrenceType = period.periodic
    ? 'PERIODIC'
    : fingerprints.length === 1
      ? 'EXACT_FINGERPRINT'
      : 'SIMILAR_TEXT';
  const confidence = recurrenceConfidence({
    type,
    occurrences: n,
    fingerprints: fingerprints.length,
    meanSimilarity: group.meanSimilarity,
    pairsCompared: group.pairsCompared,
    intervalCv: period.cv,
  });
  const description = describeRecurrence({
    type,
    title: s.title,
    occurrences: n,
    services: s.services,
    firstSeen: first,
    lastSeen: last,
    meanIntervalHours: meanInterval,
    periodHours: period.periodHours,
    skipped: period.skipped,
    variants: fingerprints.length,
  });

  const resolvedAt = match?.resolved_at ?? null;
  const newSinceResolution = resolvedAt ? s.times.filter((t) => t > resolvedAt.getTime()).length : 0;
  const reopened = Boolean(match?.is_resolved && newSinceResolution > 0);
  const history = match?.metadata ?? {};
  const reopenings = Array.isArray(history['reopenings']) ? [...(history['reopenings'] as unknown[])] : [];
  if (reopened) {
    reopenings.push({
      reopened_at: now.toISOString(),
      previous_resolved_at: resolvedAt?.toISOString() ?? null,
      previous_resolved_by: match?.resolved_by ?? null,
      new_occurrences: newSinceResolution,
      note: `seen ${newSinceResolution} more time(s) after it was marked resolved`,
    });
  }
  const typeHistory = Array.isArray(history['type_changes'])
    ? [...(history['type_changes'] as unknown[])]
    : [];
  if (match && match.recurrence_type !== type) {
    typeHistory.push({ at: now.toISOString(), from: match.recurrence_type, to: type });
  }
  const metadata: Record<string, unknown> = {
    normalized_title: group.normalizedTitle,
    symptom_terms: group.symptoms,
    distinguishing_terms: group.distinguishingTerms,
    fingerprints,
    confidence,
    evidence: {
      occurrences: n,
      mean_weighted_jaccard_similarity: round(group.meanSimilarity),
      min_weighted_jaccard_similarity: round(group.minSimilarity),
      pairs_compared: group.pairsCompared,
      mean_interval_hours: meanInterval === null ? null : round(meanInterval),
      period_hours: period.periodHours === null ? null : round(period.periodHours),
      interval_cv: period.rawCv === null ? null : round(period.rawCv),
      folded_interval_cv: period.cv === null ? null : round(period.cv),
      skipped_occurrences: period.skipped,
      expected_occurrences: period.expected,
      missing_share: round(period.missingShare),
      max_missing_share: defaultPeriodicity.maxMissingShare,
      periodicity_verdict: period.verdict,
      periodicity_p_value: period.pValue === null ? null : round(period.pValue),
      periodicity_adjusted_p_value: period.adjustedPValue === null ? null : round(period.adjustedPValue),
      periodic: period.periodic,
    },
    window: {
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      incidents_in_window: group.members.length,
    },
    algorithm: {
      text: "IDF-weighted Jaccard similarity of the fingerprints' words (title and description); greedy complete linkage",
      similarity_threshold: window.options.similarityThreshold,
      min_occurrences: window.options.minOccurrences,
      across_services: window.options.acrossServices,
      periodicity:
        `folded interval CV ≤ ${defaultPeriodicity.maxCv}, at most ${defaultPeriodicity.maxMissingShare} of the ` +
        `expected occurrences missing, period ≥ ${defaultPeriodicity.minPeriodHours} h, Monte Carlo test ` +
        'against Poisson arrivals, Benjamini–Hochberg over the groups of a run',
    },
    ...(reopenings.length ? { reopenings } : {}),
    ...(typeHistory.length ? { type_changes: typeHistory } : {}),
    ...(Array.isArray(history['resolutions']) ? { resolutions: history['resolutions'] } : {}),
  };

  const record: RecurrenceAnalysis = {
    id: match?.id ?? crypto.randomUUID(),
    recurrence_type: type,
    fingerprint: group.signature,
    confidence_score: confidence.value,
    related_incidents: s.ids,
    occurrence_count: n,
    first_seen: first,
    last_seen: last,
    mean_interval_hours: meanInterval,
    affected_services: s.services,
    description,
    metadata,
    is_resolved: reopened ? false : (match?.is_resolved ?? false),
    resolved_at: reopened ? null : resolvedAt,
    resolved_by: reopened ? null : (match?.resolved_by ?? null),
    resolution_notes: reopened ? null : (match?.resolution_notes ?? null),
    created_at: match?.created_at ?? now,
    updated_at: now,
  };
  if (!match) return { action: 'created', reopened: false, record };
  const same =
    !reopened &&
    match.recurrence_type === record.recurrence_type &&
    match.fingerprint === record.fingerprint &&
    match.confidence_score === record.confidence_score &&
    match.description === record.description &&
    sameList(match.related_incidents, record.related_incidents);
  return { action: same ? 'unchanged' : 'updated', reopened, record };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
