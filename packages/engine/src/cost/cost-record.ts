import type { costTypes } from '../schema/enums.ts';
import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';

/** A cost analysis: the spec's record, plus the computed and corrected amounts side by side. */
export interface CostAnalysisRecord {
  id: string;
  incident: string;
  cost_type: (typeof costTypes)[number];
  /** The amount in force: the analyst's correction when there is one, else the computed amount. */
  cost_amount: string;
  /** The amount the calculation produced. */
  computed_amount: string;
  /** An analyst's correction, or null. */
  corrected_amount: string | null;
  currency: string;
  calculation_method: string;
  calculation_details: Record<string, unknown>;
  downtime_hours: string | null;
  affected_users: number | null;
  revenue_impact: string | null;
  business_unit: string | null;
  service_tier: string | null;
  is_validated: boolean;
  validated_by: string | null;
  validated_at: Date | null;
  validation_notes: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Filters of the cost analysis list; `start_date`/`end_date` bound `created_at` (inclusive). */
export interface CostAnalysisListFilters {
  readonly cost_type?: string | undefined;
  readonly is_validated?: boolean | string | undefined;
  readonly start_date?: Date | string | undefined;
  readonly end_date?: Date | string | undefined;
}

/** Select list of a cost analysis row. */
export const costSelect = `id::VARCHAR AS id, incident_id::VARCHAR AS incident, cost_type,
  coalesce(corrected_amount, cost_amount)::VARCHAR AS cost_amount, cost_amount::VARCHAR AS computed_amount,
  corrected_amount::VARCHAR AS corrected_amount, currency, calculation_method,
  calculation_details::VARCHAR AS calculation_details, downtime_hours::VARCHAR AS downtime_hours, affected_users,
  revenue_impact::VARCHAR AS revenue_impact, business_unit, service_tier, is_validated,
  validated_by::VARCHAR AS validated_by, validated_at, validation_notes, created_at, updated_at`;

/** What the list may filter, order and search by. */
export const costListSpec: ListSpec = {
  from: 'cost_analyses',
  select: costSelect,
  filters: {
    cost_type: { column: 'cost_type', op: 'eq' },
    is_validated: { column: 'is_validated', op: 'eq' },
    start_date: { column: 'created_at', op: 'gte' },
    end_date: { column: 'created_at', op: 'lte' },
  },
  orderable: {
    created_at: 'created_at',
    updated_at: 'updated_at',
    cost_amount: 'coalesce(corrected_amount, cost_amount)',
    cost_type: 'cost_type',
    downtime_hours: 'downtime_hours',
    affected_users: 'affected_users',
  },
  searchable: ['cost_type', 'calculation_method', 'business_unit', 'service_tier', 'validation_notes'],
  defaultOrdering: '-created_at',
};

const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A selected row ({@link costSelect}) as the record. */
export function toCostRecord(row: Row): CostAnalysisRecord {
  return {
    id: String(row['id']),
    incident: String(row['incident']),
    cost_type: row['cost_type'] as CostAnalysisRecord['cost_type'],
    cost_amount: String(row['cost_amount']),
    computed_amount: String(row['computed_amount']),
    corrected_amount: textOrNull(row['corrected_amount']),
    currency: String(row['currency']),
    calculation_method: String(row['calculation_method']),
    calculation_details: JSON.parse(String(row['calculation_details'] ?? '{}')) as Record<string, unknown>,
    downtime_hours: textOrNull(row['downtime_hours']),
    affected_users: row['affected_users'] === null ? null : Number(row['affected_users']),
    revenue_impact: textOrNull(row['revenue_impact']),
    business_unit: textOrNull(row['business_unit']),
    service_tier: textOrNull(row['service_tier']),
    is_validated: Boolean(row['is_validated']),
    validated_by: textOrNull(row['validated_by']),
    validated_at: (row['validated_at'] as Date | null) ?? null,
    validation_notes: textOrNull(row['validation_notes']),
    created_at: row['created_at'] as Date,
    updated_at: row['updated_at'] as Date,
  };
}
