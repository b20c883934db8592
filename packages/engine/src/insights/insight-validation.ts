import type { Database, Transaction } from '../store/database.ts';
import { groupColumns } from './forecast-insights.ts';
import { countAccuracy, riskAccuracy } from './insight-math.ts';
import type { InsightType } from './insight-record.ts';

/** An insight whose window has ended, as validation reads it. */
interface DueInsight {
  readonly id: string;
  readonly type: InsightType;
  readonly modelId: string | null;
  readonly value: Record<string, unknown>;
  readonly start: Date;
  readonly end: Date;
  readonly related: readonly string[];
}

/** What happened in an insight's window, and how close the prediction came. */
interface Outcome {
  readonly actual: Record<string, unknown>;
  readonly accuracy: number | null;
}

/**
 * Validates every insight whose window ended at or before `now` and is not validated yet: sets
 * `actual_value`, `accuracy`, `is_validated` and `validated_at` (= now), in one transaction.
 *
 * - INCIDENT_FORECAST: actual = incidents created in the window (of the forecast's group);
 *   accuracy = 1 − |actual − predicted| / max(actual, predicted) (1 when both are 0).
 * - COST_FORECAST: actual = the summed cost analyses of its incidents; accuracy as for counts.
 * - SEVERITY_RISK, ESCALATION_RISK, RESOLUTION_DELAY: per related incident, whether the risk came
 *   true by the window's end (severity HIGH or CRITICAL; escalation level above 0; resolved later
 *   than the threshold, or still open past it); accuracy = the share that came true (1 or 0 for
 *   one incident).
 * - ANOMALY_RISK: actual = anomalies of the model that happened in the window (false positives
 *   left out); accuracy 1 when at least one did, else 0.
 *
 * @returns how many insights were validated.
 */
export async function validateDue(db: Database, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.rows(
      `SELECT id::VARCHAR AS id, insight_type, model_id::VARCHAR AS model_id, prediction_value::VARCHAR AS value,
         prediction_window_start AS start, prediction_window_end AS "end", related_incidents::VARCHAR[] AS related
       FROM predictive_insights
       WHERE NOT is_validated AND prediction_window_end IS NOT NULL AND prediction_window_end <= $now
         AND prediction_window_start IS NOT NULL
       ORDER BY prediction_window_end, id`,
      { now },
    );
    for (const row of rows) {
      const insight: DueInsight = {
        id: String(row['id']),
        type: row['insight_type'] as InsightType,
        modelId: (row['model_id'] as string | null) ?? null,
        value: parseObject(row['value']),
        start: row['start'] as Date,
        end: row['end'] as Date,
        related: (row['related'] as string[] | null) ?? [],
      };
      const outcome = await outcomeOf(tx, insight);
      await tx.run(
        `UPDATE predictive_insights SET actual_value = $actual::JSON, accuracy = $accuracy, is_validated = true,
           validated_at = $now WHERE id = $id::UUID`,
        { id: insight.id, actual: JSON.stringify(outcome.actual), accuracy: outcome.accuracy, now },
      );
    }
    return rows.length;
  });
}

async function outcomeOf(tx: Transaction, insight: DueInsight): Promise<Outcome> {
  const predicted = Number(insight.value['value'] ?? 0);
  switch (insight.type) {
    case 'INCIDENT_FORECAST': {
      const groupBy = groupColumns.find((c) => c === insight.value['group_by']);
      const group = insight.value['group'];
      const grouped = groupBy !== undefined && typeof group === 'string';
      const row = await tx.one<{ n: bigint }>(
        `SELECT count(*) AS n FROM incidents WHERE created_at >= $start AND created_at < $end
         ${grouped ? `AND ${groupBy} = $group` : ''}`,
        { start: insight.start, end: insight.end, ...(grouped ? { group } : {}) },
      );
      const actual = Number(row?.n ?? 0);
      return { actual: { value: actual, unit: 'incidents' }, accuracy: countAccuracy(actual, predicted) };
    }
    case 'COST_FORECAST': {
      const row = await tx.one<{ total: number | null }>(
        `SELECT sum(cost_amount)::DOUBLE AS total FROM cost_analyses WHERE list_contains($ids, incident_id::VARCHAR)`,
        { ids: [...insight.related] },
      );
      const actual = Number(row?.total ?? 0);
      return {
        actual: { value: actual, unit: 'USD' },
        accuracy: countAccuracy(actual, Number(insight.value['value'] ?? 0)),
      };
    }
    case 'ANOMALY_RISK': {
      const row = await tx.one<{ n: bigint }>(
        `SELECT count(*) AS n FROM anomaly_detections WHERE model_id = $model::UUID AND status <> 'FALSE_POSITIVE'
           AND time_window_start >= $start AND time_window_start < $end`,
        {
          model: insight.modelId ?? '00000000-0000-0000-0000-000000000000',
          start: insight.start,
          end: insight.end,
        },
      );
      const actual = Number(row?.n ?? 0);
      return {
        actual: { value: actual, unit: 'anomalies', came_true: actual > 0 },
        accuracy: actual > 0 ? 1 : 0,
      };
    }
    default:
      return riskOutcome(tx, insight);
  }
}

/** Severity, escalation and resolution risks: per related incident, whether the risk came true. */
async function riskOutcome(tx: Transaction, insight: DueInsight): Promise<Outcome> {
  const threshold = Number(insight.value['threshold_hours'] ?? Number.NaN);
  const rows = await tx.rows(
    `SELECT id::VARCHAR AS id, severity, escalation_level,
       CASE WHEN resolved_at IS NOT NULL AND resolved_at <= $end THEN epoch(resolved_at - created_at) / 3600 END AS hours,
       epoch($end - created_at) / 3600 AS open_hours
     FROM incidents WHERE list_contains($ids, id::VARCHAR) ORDER BY id`,
    { ids: [...insight.related], end: insight.end },
  );
  const incidents = rows.map((r) => {
    let cameTrue: boolean;
    if (insight.type === 'SEVERITY_RISK') cameTrue = r['severity'] === 'HIGH' || r['severity'] === 'CRITICAL';
    else if (insight.type === 'ESCALATION_RISK') cameTrue = Number(r['escalation_level']) > 0;
    else {
      const hours = r['hours'] === null ? null : Number(r['hours']);
      cameTrue = hours !== null ? hours > threshold : Number(r['open_hours']) > threshold;
    }
    return {
      id: String(r['id']),
      came_true: cameTrue,
      ...(insight.type === 'SEVERITY_RISK' ? { severity: r['severity'] } : {}),
      ...(insight.type === 'ESCALATION_RISK' ? { escalation_level: Number(r['escalation_level']) } : {}),
      ...(insight.type === 'RESOLUTION_DELAY'
        ? { resolution_hours: r['hours'] === null ? null : Number(r['hours']) }
        : {}),
    };
  });
  const cameTrue = incidents.filter((i) => i.came_true).length;
  return {
    actual: { value: cameTrue, unit: 'incidents', of: incidents.length, incidents },
    accuracy: riskAccuracy(incidents.map((i) => i.came_true)),
  };
}

function parseObject(value: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(value ?? '{}'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
