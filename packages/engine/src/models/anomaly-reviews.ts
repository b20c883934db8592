import type { Database } from '../store/database.ts';
import type { AnomalyMetrics, AnomalyReviews, ModelPerformanceReport } from './model-performance.ts';
import type { PredictiveModelRecord } from './model-record.ts';

/** Counts the model's stored anomalies and their review outcomes. */
export async function readAnomalyReviews(db: Database, modelId: string): Promise<AnomalyReviews> {
  const row = await db.one(
    `SELECT count(*)::INTEGER AS detections,
       count(*) FILTER (WHERE review_outcome = 'CONFIRMED')::INTEGER AS confirmed,
       count(*) FILTER (WHERE review_outcome = 'FALSE_POSITIVE')::INTEGER AS false_positives
     FROM anomaly_detections WHERE model_id = $id::UUID`,
    { id: modelId },
  );
  const confirmed = Number(row?.['confirmed'] ?? 0);
  const falsePositives = Number(row?.['false_positives'] ?? 0);
  const reviewed = confirmed + falsePositives;
  return {
    detections: Number(row?.['detections'] ?? 0),
    reviewed,
    confirmed,
    false_positives: falsePositives,
    review_precision: reviewed > 0 ? confirmed / reviewed : null,
  };
}

/** The reviews sentence shared by every anomaly model's verdict. */
function reviewsSentence(reviews: AnomalyReviews): string {
  if (reviews.reviewed === 0)
    return `none of its ${reviews.detections} stored anomalies has been reviewed yet`;
  const percent = Math.round(1000 * (reviews.review_precision ?? 0)) / 10;
  return `${reviews.confirmed} of the ${reviews.reviewed} anomalies reviewed were confirmed (${percent}%), ${reviews.false_positives} marked false positives`;
}

/**
 * The performance of the system anomaly model, which is configured rather than trained (it has no
 * stored version): what people's reviews of its anomalies say. `precision_score` is the confirmed
 * share of the reviewed anomalies; the other scores need labelled misses and stay null.
 */
export function systemModelReport(
  model: PredictiveModelRecord,
  reviews: AnomalyReviews,
): ModelPerformanceReport {
  return {
    task: 'anomaly',
    scores: {
      accuracy_score: null,
      precision_score: reviews.review_precision,
      recall_score: null,
      f1_score: null,
    },
    metrics: { points: 0, detections: reviews.detections, detections_per_1000_points: 0, reviews },
    baseline: { name: 'none', metrics: null },
    beats_baseline: null,
    verdict: `the system detector is configured, not trained; ${reviewsSentence(reviews)}`,
    feature_importance: null,
    evaluated_on: {
      train_rows: 0,
      test_rows: reviews.reviewed,
      train_end: model.created_at,
      test_start: model.created_at,
      test_end: model.updated_at,
    },
    notes: ['There is no training window: the scores come from the reviews of the anomalies it stored.'],
  };
}

/** A trained anomaly model's stored report with the reviews of its anomalies added. */
export function withAnomalyReviews(
  report: ModelPerformanceReport,
  reviews: AnomalyReviews,
): ModelPerformanceReport {
  return {
    ...report,
    metrics: { ...(report.metrics as AnomalyMetrics), reviews },
    notes: [...report.notes, `Since training, ${reviewsSentence(reviews)}.`],
  };
}
