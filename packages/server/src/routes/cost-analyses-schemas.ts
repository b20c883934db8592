import { z } from '@hono/zod-openapi';
import { costTypes } from '@incident-insights/engine';

const amount = (description: string) =>
  z.string().openapi({ example: '1250.00', description: `${description}; two decimals, reporting currency` });

/** A cost analysis as the API shows it: the spec's record, with the computed and corrected amounts. */
export const CostAnalysisSchema = z
  .object({
    id: z.uuid(),
    incident: z
      .uuid()
      .openapi({ description: 'The incident priced (for PENALTY: the one whose outage spent the budget)' }),
    cost_type: z.enum(costTypes),
    cost_amount: amount(
      'The amount in force: the correction when validated with one, else the computed amount',
    ),
    computed_amount: amount('The amount the calculation produced'),
    corrected_amount: z.string().nullable().openapi({ description: "An analyst's correction" }),
    currency: z.string(),
    calculation_method: z.string().openapi({ description: 'The formula' }),
    calculation_details: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Every input of the formula' }),
    downtime_hours: z.string().nullable(),
    affected_users: z.number().int().nullable(),
    revenue_impact: z.string().nullable(),
    business_unit: z.string().nullable(),
    service_tier: z.string().nullable(),
    is_validated: z.boolean(),
    validated_by: z.uuid().nullable(),
    validated_at: z.string().datetime().nullable(),
    validation_notes: z.string().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('CostAnalysis');

/** `GET /cost-analyses/summary/`: exactly the spec's fields. */
export const CostSummarySchema = z
  .object({
    total_cost: amount('Sum of the amounts in force'),
    currency: z.string(),
    downtime_cost: z.string(),
    lost_revenue: z.string(),
    penalty_cost: z.string(),
    resource_cost: z.string(),
    total_downtime_hours: z.string().openapi({ example: '150.5' }),
    total_affected_users: z.number().int(),
    cost_per_hour: z
      .string()
      .openapi({ example: '830.56', description: 'total_cost / total_downtime_hours, half-up' }),
    cost_per_user: z
      .string()
      .openapi({ example: '25.00', description: 'total_cost / total_affected_users, half-up' }),
  })
  .openapi('CostSummary');

/** Body of validate: notes and an optional corrected amount. */
export const ValidateCostBody = z
  .strictObject({
    validation_notes: z.string().max(2000).optional(),
    corrected_amount: z
      .string()
      .regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be an amount such as "1250.00"')
      .optional(),
  })
  .openapi('ValidateCostAnalysis');

/** A configuration object (cost model, service tier, SLA contract, settings); the engine checks its fields. */
export const CostConfigSchema = z.record(z.string(), z.unknown()).openapi('CostConfiguration', {
  description: 'See the cost README for the fields; unknown fields are refused with the field named.',
});
