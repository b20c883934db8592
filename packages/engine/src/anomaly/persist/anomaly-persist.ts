import type { EventOutbox } from '../../events/outbox.ts';
import type { AnomalySeverity } from '../../schema/enums.ts';
import type { Database } from '../../store/database.ts';
import { TimeSlice } from '../../store/time-slice.ts';
import type { AnomalyToExplain, Impact, RootCause } from '../explain/explain-types.ts';
import type { AnomalyDraft, AnomalyGroup } from '../run/anomaly-merge.ts';
import { atLeast, severityOf } from '../run/anomaly-wording.ts';

/** What {@link persistGroups} did. */
export interface PersistResult {
  /** Ids of the anomalies created, in the order of the groups given. */
  readonly created: string[];
  /** Groups skipped because an anomaly on one of their series with an overlapping window exists. */
  readonly duplicates: number;
}

/** The root cause and impact of a group, stored with it; `null` when not computed. */
interface GroupExplanation {
  readonly rootCause: RootCause | null;
  readonly impact: Impact | null;
}

/** Where and when a group lies, as stored and as the duplicate check sees it. */
function shapeOf({ primary, members }: AnomalyGroup) {
  const own = members.filter((m) => m.seriesKey === primary.seriesKey);
  return {
    own,
    memberSeries: [...new Set(members.map((m) => m.seriesKey))],
    /** The stored window: the union of the primary series' windows. */
    start: new Date(Math.min(...own.map((m) => m.windowStart))),
    end: new Date(Math.max(...own.map((m) => m.windowEnd))),
    /** The span of every member, which the duplicate check compares. */
    spanStart: new Date(Math.min(...members.map((m) => m.windowStart))),
    spanEnd: new Date(Math.max(...members.map((m) => m.windowEnd))),
    // The services of the anomaly's own evidence (the related incidents of its primary series),
    // not of every view merged into it: a search storm also shows in the all-services total.
    services: [...new Set(own.flatMap((m) => m.affectedServices))].sort(),
  };
}

/**
 * Whether an anomaly stored before lists one of the group's series in `member_series` with a
 * window overlapping the group's span; anomalies in `excluding` (stored by this run) never count.
 */
async function isKnown(
  db: Pick<Database, 'one'>,
  group: AnomalyGroup,
  excluding: readonly string[],
): Promise<boolean> {
  const shape = shapeOf(group);
  const row = await db.one(
    `SELECT 1 AS known FROM anomaly_detections WHERE list_has_any(member_series, $keys)
     AND time_window_start < $end AND time_window_end > $start
     ${excluding.length > 0 ? `AND id::VARCHAR NOT IN (${excluding.map((c) => `'${c}'`).join(', ')})` : ''} LIMIT 1`,
    { keys: shape.memberSeries, start: shape.spanStart, end: shape.spanEnd },
  );
  return row !== undefined;
}

/**
 * The groups not stored yet (see {@link persistGroups} for what counts as known), read before any
 * write, so that their explanations can be computed outside the write transaction.
 */
export async function newGroups(
  db: Database,
  groups: readonly AnomalyGroup[],
): Promise<{ fresh: AnomalyGroup[]; duplicates: number }> {
  const fresh: AnomalyGroup[] = [];
  for (const group of groups) if (!(await isKnown(db, group, []))) fresh.push(group);
  return { fresh, duplicates: groups.length - fresh.length };
}

/** The groups as the explanations take them: what each will be stored as, in the same order. */
export async function explainInputs(groups: readonly AnomalyGroup[]): Promise<AnomalyToExplain[]> {
  const slice = new TimeSlice();
  const inputs: AnomalyToExplain[] = [];
  for (const [index, group] of groups.entries()) {
    const shape = shapeOf(group);
    inputs.push({
      index,
      anomalyType: group.primary.anomalyType,
      seriesKey: group.primary.seriesKey,
      memberSeries: shape.memberSeries,
      windowStart: shape.start.getTime(),
      windowEnd: shape.end.getTime(),
      relatedIncidents: await distinctIds(shape.own, slice),
      affectedServices: shape.services,
      affectedMetrics: [...new Set(group.members.flatMap((m) => m.affectedMetrics))].sort(),
      metadata: group.primary.metadata,
    });
  }
  return inputs;
}

/**
 * Stores each merged group as one `anomaly_detections` row (status DETECTED) and appends one
 * ANOMALY_DETECTED event per new row, all in one transaction. A group is a duplicate, and skipped,
 * when an anomaly stored before this call lists one of its series in `member_series` and its
 * window overlaps the group's: re-running over the same window adds nothing and emits nothing,
 * and a first run on an empty database finds nothing already known (the check is made again
 * here, inside the transaction, after {@link newGroups} made it before the explanations).
 * `affected_services` are the services of the primary series' own related incidents.
 * `explanations[i]`, when given, is stored with `groups[i]`: `root_cause_analysis`,
 * `impact_assessment`, `metadata.root_cause`, `metadata.impact`, and a severity raised to the
 * impact's floor; the event carries both paragraphs.
 */
export async function persistGroups(
  db: Database,
  events: EventOutbox,
  groups: readonly AnomalyGroup[],
  modelId: string,
  detectedAt: Date,
  explanations: readonly GroupExplanation[] = [],
): Promise<PersistResult> {
  return db.transaction(async (tx) => {
    const created: string[] = [];
    let duplicates = 0;
    const slice = new TimeSlice();
    for (const [index, group] of groups.entries()) {
      await slice.pause();
      const { primary, members } = group;
      // Only anomalies stored before this run are known: a group of this run that touches another
      // one is a different event (merging kept them apart) and is stored too.
      if (await isKnown(tx, group, created)) {
        duplicates++;
        continue;
      }
      const shape = shapeOf(group);
      const { own, start, end: ownEnd, services } = shape;
      const explanation = explanations[index];
      const rootCause = explanation?.rootCause ?? null;
      const impact = explanation?.impact ?? null;
      const id = crypto.randomUUID();
      const confidence = Math.max(...members.map((m) => m.confidence));
      const scored: AnomalySeverity = severityOf({
        scoreRatio: primary.threshold > 0 ? primary.score / primary.threshold : Number.POSITIVE_INFINITY,
        confidence,
        relatedCount: primary.relatedIncidents.length,
        ...primary.impact,
      });
      const severity = atLeast(scored, impact?.severityFloor ?? null);
      const metadata = {
        ...primary.metadata,
        series_key: primary.seriesKey,
        merged_detections: members.slice(1).map((m) => ({
          series_key: m.seriesKey,
          anomaly_type: m.anomalyType,
          method: m.metadata['method'],
          anomaly_score: m.score,
          confidence_score: m.confidence,
          time_window_start: new Date(m.windowStart).toISOString(),
          time_window_end: new Date(m.windowEnd).toISOString(),
          description: m.description,
        })),
        ...(rootCause ? { root_cause: rootCause.evidence } : {}),
        ...(impact ? { impact: impact.evidence } : {}),
      };
      const stamp = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
      const windows = new Set(own.map((m) => `${m.windowStart}-${m.windowEnd}`)).size;
      const description =
        windows > 1 && (start.getTime() < primary.windowStart || ownEnd.getTime() > primary.windowEnd)
          ? `${primary.description} (the same change in ${windows} adjoining windows from ${stamp(start)} to ${stamp(ownEnd)})`
          : primary.description;
      const row = {
        id,
        model: modelId,
        type: primary.anomalyType,
        severity,
        key: primary.seriesKey,
        members: shape.memberSeries,
        confidence,
        score: primary.score,
        threshold: primary.threshold,
        at: detectedAt,
        start,
        end: ownEnd,
        services,
        metrics: [...new Set(members.flatMap((m) => m.affectedMetrics))].sort(),
        description,
        rca: rootCause?.text || null,
        impact: impact?.text || null,
        metadata: JSON.stringify(metadata),
        // One text value, split by DuckDB: binding 10⁵ ids one value each holds the event loop.
        related: (await distinctIds(own, slice)).join(','),
      };
      await tx.run(
        `INSERT INTO anomaly_detections (id, model_id, anomaly_type, severity, status, series_key, member_series,
           confidence_score, anomaly_score, threshold_used, detected_at, time_window_start, time_window_end,
           related_incidents, affected_services, affected_metrics, description, root_cause_analysis,
           impact_assessment, metadata)
         VALUES ($id::UUID, $model::UUID, $type, $severity, 'DETECTED', $key, $members, $confidence, $score,
           $threshold, $at, $start, $end, CASE WHEN $related = '' THEN []::UUID[] ELSE string_split($related, ',')::UUID[] END,
           $services, $metrics, $description, $rca, $impact, $metadata::JSON)`,
        row,
      );
      await events.append(tx, 'ANOMALY_DETECTED', {
        id,
        anomaly_type: primary.anomalyType,
        severity,
        series_key: primary.seriesKey,
        confidence_score: confidence,
        anomaly_score: primary.score,
        time_window_start: start.toISOString(),
        time_window_end: ownEnd.toISOString(),
        affected_services: services,
        description,
        root_cause_analysis: row.rca,
        impact_assessment: row.impact,
        model_id: modelId,
      });
      created.push(id);
    }
    return { created, duplicates };
  });
}

/** The related incidents of `drafts`, each once, in first-seen order, built with turns between. */
async function distinctIds(drafts: readonly AnomalyDraft[], slice: TimeSlice): Promise<string[]> {
  const ids = new Set<string>();
  for (const draft of drafts) {
    for (let i = 0; i < draft.relatedIncidents.length; i++) {
      ids.add(draft.relatedIncidents[i] as string);
      if ((i & 4095) === 4095) await slice.pause();
    }
  }
  return [...ids];
}
