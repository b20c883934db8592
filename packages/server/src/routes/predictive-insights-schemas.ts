import { z } from '@hono/zod-openapi';
import { confidenceLevels, insightTypes } from '@incident-insights/engine';

/** A predictive insight as the API shows it. */
export const PredictiveInsightSchema = z
  .object({
    id: z.uuid(),
    model: z.uuid().nullable().openapi({ description: 'The model that produced it' }),
    model_version: z.string().nullable(),
    insight_type: z.enum(insightTypes),
    title: z.string(),
    description: z.string(),
    prediction_value: z.unknown().openapi({
      description: '{ value, lower, upper, unit, ... }: the predicted value with its interval',
    }),
    confidence_level: z.enum(confidenceLevels).openapi({
      description: 'From confidence_score: HIGH at 0.8 or more, MEDIUM at 0.5 or more, else LOW',
    }),
    confidence_score: z.number(),
    predicted_at: z.string().datetime(),
    prediction_window_start: z.string().datetime().nullable(),
    prediction_window_end: z.string().datetime().nullable(),
    related_incidents: z.array(z.uuid()),
    affected_services: z.array(z.string()),
    recommendations: z.array(z.string()),
    is_acknowledged: z.boolean(),
    acknowledged_by: z.uuid().nullable(),
    acknowledged_at: z.string().datetime().nullable(),
    is_validated: z.boolean().openapi({ description: 'Compared with what happened once its window ended' }),
    validated_at: z.string().datetime().nullable(),
    actual_value: z.unknown().openapi({ description: 'What happened (once validated)' }),
    accuracy: z.number().nullable().openapi({ description: 'In [0, 1], once validated' }),
    expires_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    is_expired: z.boolean(),
  })
  .openapi('PredictiveInsight');

/** `GET /predictive-insights/summary/`: exactly the spec's fields. */
export const InsightSummarySchema = z
  .object({
    total_insights: z.number().int(),
    high_confidence_insights: z.number().int(),
    medium_confidence_insights: z.number().int(),
    low_confidence_insights: z.number().int(),
    acknowledged_insights: z.number().int(),
    validated_insights: z.number().int(),
    expired_insights: z.number().int(),
    average_accuracy: z
      .string()
      .nullable()
      .openapi({ example: '0.85', description: 'Mean accuracy of the validated insights; null if none' }),
    active_models: z.number().int().openapi({ description: 'Models whose status is ACTIVE' }),
  })
  .openapi('InsightSummary');

/** Body of acknowledge: none, or an empty object (any field is refused). */
export const AcknowledgeBody = z.strictObject({}).openapi('AcknowledgeInsight');
