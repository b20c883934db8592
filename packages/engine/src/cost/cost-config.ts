import { z } from 'zod';
import { instantParameter } from '../jobs/job-kind-helpers.ts';

/** A money amount as text, at most 16 digits and 2 decimals: `"1250.00"`. */
const money = z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be an amount such as "1250.00"');
/** A share of revenue in [0, 1], at most 6 decimals: `"0.25"`. */
const share = z
  .string()
  .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'must be a share from "0" to "1" with at most 6 decimals');
/** An ISO 4217 code. */
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as "USD"');
const label = z.string().trim().min(1).max(200);
/** An instant: a `Date`, or ISO 8601 text (no zone = UTC). */
const instant = z.union([z.date(), instantParameter]);

/**
 * A cost model: the prices of one service tier and business unit from `effective_from` on. Every
 * component is optional; a missing one computes no analysis of its cost type.
 */
export const costModelInput = z
  .object({
    name: label,
    service_tier: label,
    business_unit: label,
    currency,
    effective_from: instant,
    /** Cost of one hour of an incident (created → resolved), in `currency`. */
    downtime_cost_per_hour: money.optional(),
    /** Revenue the tier earns an hour, in `currency`. */
    revenue_per_hour: money.optional(),
    /** Share of `revenue_per_hour` an incident of each severity loses while it lasts. */
    lost_revenue_share: z
      .object({ LOW: share, MEDIUM: share, HIGH: share, CRITICAL: share })
      .partial()
      .strict()
      .optional(),
    /** Hourly rate of one responder, in `currency`. */
    responder_hourly_rate: money.optional(),
    /** People engaged on an incident from acknowledgement to resolution. */
    responders: z.number().int().min(1).max(10_000).optional(),
    reputation_cost_per_user: money.optional(),
    compliance_cost_per_incident: money.optional(),
    /** An incident of one of these categories is regulated. */
    compliance_categories: z.array(label).max(100).optional(),
    /** An incident carrying one of these tags is regulated. */
    compliance_tags: z.array(label).max(100).optional(),
  })
  .strict();
export type CostModelInput = z.input<typeof costModelInput>;

/** One penalty tier: when the period's availability is below `below` percent, `amount` is due. */
const penaltyTier = z.object({ below: z.number().gt(0).max(100), amount: money }).strict();

/**
 * An SLA contract: `availability_target` percent per `period` (calendar DAY, WEEK from Monday or
 * MONTH, UTC) for `service`, with penalty tiers. The highest tier's `below` must equal the target,
 * so a penalty is due exactly when availability falls below it; a lower availability takes the
 * tier with the lowest `below` it is under.
 */
export const slaContractInput = z
  .object({
    name: label,
    service: label,
    period: z.enum(['DAY', 'WEEK', 'MONTH']),
    availability_target: z.number().gt(0).max(100),
    penalty_tiers: z.array(penaltyTier).min(1).max(20),
    currency,
    effective_from: instant,
    effective_to: instant.optional(),
  })
  .strict()
  .superRefine((contract, ctx) => {
    const top = Math.max(...contract.penalty_tiers.map((t) => t.below));
    if (top !== contract.availability_target) {
      ctx.addIssue({
        code: 'custom',
        path: ['penalty_tiers'],
        message: `the highest tier's below (${top}) must equal availability_target (${contract.availability_target})`,
      });
    }
    if (contract.effective_to && contract.effective_to <= contract.effective_from) {
      ctx.addIssue({ code: 'custom', path: ['effective_to'], message: 'must be after effective_from' });
    }
  });
export type SlaContractInput = z.input<typeof slaContractInput>;

/**
 * Which tier and business unit a service belongs to. Service `*` sets the tier of every service
 * without its own, and of incidents without a service.
 */
export const serviceTierInput = z
  .object({ service: label, service_tier: label, business_unit: label })
  .strict();
export type ServiceTierInput = z.input<typeof serviceTierInput>;

/**
 * The reporting currency every amount is converted to, the exchange rates (units of the reporting
 * currency for one unit of another, at most 6 decimals) and the per-incident total from which
 * COST_THRESHOLD_EXCEEDED is emitted (none when null).
 */
export const costSettingsInput = z
  .object({
    reporting_currency: currency,
    exchange_rates: z
      .record(currency, z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be a rate such as "1.085"'))
      .default({}),
    incident_cost_threshold: money.nullable().default(null),
  })
  .strict();
export type CostSettingsInput = z.input<typeof costSettingsInput>;
export type CostSettings = z.output<typeof costSettingsInput>;
