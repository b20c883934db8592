import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { type OutageRule, outageRule } from '../kpi/kpi-options.ts';
import { parseInstant } from '../schema/dates.ts';
import { costTypes } from '../schema/enums.ts';
import type { SqlValue } from '../store/database.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import { type CostCalculationResult, calculateCosts } from './cost-calculation.ts';
import type {
  CostModelInput,
  CostSettings,
  CostSettingsInput,
  ServiceTierInput,
  SlaContractInput,
} from './cost-config.ts';
import {
  type CostModelRecord,
  createCostModel,
  createSlaContract,
  getCostModel,
  getCostSettings,
  listCostModels,
  listServiceTiers,
  listSlaContracts,
  type ServiceTierRecord,
  type SlaContractRecord,
  setServiceTier,
  updateCostSettings,
} from './cost-config-store.ts';
import {
  type CostAnalysisListFilters,
  type CostAnalysisRecord,
  costListSpec,
  costSelect,
  toCostRecord,
} from './cost-record.ts';
import { type CostSummary, costSummary } from './cost-summary.ts';
import { scaled } from './money.ts';

/** What an analyst records when validating an analysis. */
export interface CostValidation {
  /** Notes on the check, up to 2,000 characters. */
  readonly validation_notes?: string | undefined;
  /** A corrected amount (`"1200.00"`); the computed amount is kept beside it. */
  readonly corrected_amount?: string | undefined;
}

/** Default calculation window: 24 hours, so the hourly schedule's overlapping runs miss nothing. */
export const defaultCostWindowHours = 24;
const hourMs = 3_600_000;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cost impact (`engine.costs`): cost models per service tier and business unit with effective
 * dates, SLA contracts, exchange rates; the calculation of every cost type per incident (penalties
 * per contract period); the analyses' list, detail, summary and validation. See the cost README.
 */
export class CostService {
  private readonly rule: OutageRule = outageRule();

  constructor(private readonly context: EngineContext) {}

  /** Every cost model. */
  listModels(): Promise<CostModelRecord[]> {
    return listCostModels(this.context.db);
  }

  /** @throws EngineError NOT_FOUND. */
  getModel(id: string): Promise<CostModelRecord> {
    return getCostModel(this.context.db, id);
  }

  /**
   * Adds a cost model; the model of its tier and business unit in force at its start ends there.
   *
   * @throws EngineError VALIDATION_ERROR; CONFLICT when a model of its tier starts at or after it.
   */
  createModel(input: CostModelInput): Promise<CostModelRecord> {
    return createCostModel(this.context.db, input, this.context.now());
  }

  /** Services' tiers and business units. */
  listServiceTiers(): Promise<ServiceTierRecord[]> {
    return listServiceTiers(this.context.db);
  }

  /** Sets a service's tier and business unit. @throws EngineError VALIDATION_ERROR. */
  setServiceTier(input: ServiceTierInput): Promise<ServiceTierRecord> {
    return setServiceTier(this.context.db, input, this.context.now());
  }

  /** Every SLA contract. */
  listContracts(): Promise<SlaContractRecord[]> {
    return listSlaContracts(this.context.db);
  }

  /** Adds an SLA contract. @throws EngineError VALIDATION_ERROR. */
  createContract(input: SlaContractInput): Promise<SlaContractRecord> {
    return createSlaContract(this.context.db, input, this.context.now());
  }

  /** Reporting currency, exchange rates and threshold. */
  getSettings(): Promise<CostSettings> {
    return getCostSettings(this.context.db);
  }

  /** Replaces the settings. @throws EngineError VALIDATION_ERROR. */
  updateSettings(input: CostSettingsInput): Promise<CostSettings> {
    return updateCostSettings(this.context.db, input, this.context.now());
  }

  /**
   * Prices the incidents resolved or updated in the `windowHours` (default 24) hours before `end`
   * (default the engine's clock) and the SLA periods overlapping them. Idempotent.
   *
   * @throws EngineError VALIDATION_ERROR for a window that is not 1 to 87,600 whole hours or a bad end.
   */
  async calculate(
    options: { windowHours?: number | undefined; end?: Date | undefined } = {},
  ): Promise<CostCalculationResult> {
    const hours = options.windowHours ?? defaultCostWindowHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > 87_600) {
      throw new EngineError(
        'VALIDATION_ERROR',
        'time_window must be a whole number of hours from 1 to 87600',
        {
          parameter: 'time_window',
          value: hours,
        },
      );
    }
    const end = options.end ?? this.context.now();
    if (!(end instanceof Date) || Number.isNaN(end.getTime())) {
      throw new EngineError('VALIDATION_ERROR', 'end must be a valid date', { parameter: 'end' });
    }
    const start = new Date(end.getTime() - hours * hourMs);
    return calculateCosts(
      this.context.db,
      this.context.events,
      { start, end },
      this.context.now(),
      this.rule,
    );
  }

  /**
   * One page of analyses: filters `cost_type`, `is_validated`, `start_date`, `end_date` (on
   * `created_at`, inclusive), `search`, `ordering` (default `-created_at`).
   *
   * @throws EngineError VALIDATION_ERROR for a bad filter or ordering.
   */
  list(request: ListRequest<CostAnalysisListFilters> = {}): Promise<Page<CostAnalysisRecord>> {
    return listPage(
      this.context.db,
      costListSpec,
      { ...request, filters: checkFilters(request.filters ?? {}) },
      toCostRecord,
    );
  }

  /** @throws EngineError NOT_FOUND. */
  async get(id: string): Promise<CostAnalysisRecord> {
    if (!uuidPattern.test(id)) throw notFound('cost analysis', id);
    const row = await this.context.db.one(`SELECT ${costSelect} FROM cost_analyses WHERE id = $id::UUID`, {
      id,
    });
    if (!row) throw notFound('cost analysis', id);
    return toCostRecord(row);
  }

  /** The spec's summary over the analyses the filters select (all by default). */
  async summary(filters: CostAnalysisListFilters = {}): Promise<CostSummary> {
    const checked = checkFilters(filters);
    const clauses: string[] = [];
    const params: Record<string, SqlValue> = {};
    const columns = {
      cost_type: 'cost_type =',
      is_validated: 'is_validated =',
      start_date: 'created_at >=',
      end_date: 'created_at <=',
    };
    for (const [name, test] of Object.entries(columns)) {
      const value = checked[name as keyof typeof checked];
      if (value === undefined) continue;
      clauses.push(`${test} $${name}`);
      params[name] = value as SqlValue;
    }
    const settings = await getCostSettings(this.context.db);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return costSummary(this.context.db, where, params, settings.reporting_currency);
  }

  /**
   * Marks an analysis validated by `userId` now, with notes and optionally a corrected amount
   * (the computed one is kept). Validating again replaces the earlier validation.
   *
   * @throws EngineError NOT_FOUND; VALIDATION_ERROR for a bad amount, notes or user id.
   */
  async validate(
    id: string,
    userId: string | null,
    validation: CostValidation = {},
  ): Promise<CostAnalysisRecord> {
    if (userId !== null && !uuidPattern.test(userId)) {
      throw new EngineError('VALIDATION_ERROR', 'validated_by must be a user id (UUID)', {
        parameter: 'validated_by',
      });
    }
    const notes = validation.validation_notes ?? null;
    if (notes !== null && (typeof notes !== 'string' || notes.length > 2000)) {
      throw new EngineError('VALIDATION_ERROR', 'validation_notes must be text of at most 2000 characters', {
        field: 'validation_notes',
      });
    }
    const corrected = validation.corrected_amount ?? null;
    if (corrected !== null) scaled(corrected, 2, 'corrected_amount');
    await this.get(id);
    await this.context.db.run(
      `UPDATE cost_analyses SET is_validated = true, validated_by = $by::UUID, validated_at = $now,
         validation_notes = $notes, corrected_amount = $corrected::DECIMAL(18,2), updated_at = $now WHERE id = $id::UUID`,
      { id, by: userId, now: this.context.now(), notes, corrected },
    );
    return this.get(id);
  }
}

function checkFilters(filters: CostAnalysisListFilters): {
  cost_type?: string;
  is_validated?: boolean;
  start_date?: Date;
  end_date?: Date;
} {
  const out: { cost_type?: string; is_validated?: boolean; start_date?: Date; end_date?: Date } = {};
  for (const key of Object.keys(filters)) {
    if (!['cost_type', 'is_validated', 'start_date', 'end_date'].includes(key)) {
      throw new EngineError('VALIDATION_ERROR', `unknown filter ${key}`, { parameter: key });
    }
  }
  if (filters.cost_type !== undefined) {
    if (!(costTypes as readonly string[]).includes(filters.cost_type)) {
      throw new EngineError('VALIDATION_ERROR', `cost_type must be one of ${costTypes.join(', ')}`, {
        parameter: 'cost_type',
      });
    }
    out.cost_type = filters.cost_type;
  }
  const flag = filters.is_validated;
  if (flag !== undefined) {
    if (flag !== true && flag !== false && flag !== 'true' && flag !== 'false') {
      throw new EngineError('VALIDATION_ERROR', 'is_validated must be true or false', {
        parameter: 'is_validated',
      });
    }
    out.is_validated = flag === true || flag === 'true';
  }
  for (const key of ['start_date', 'end_date'] as const) {
    const value = filters[key];
    if (value === undefined) continue;
    if (value instanceof Date) out[key] = value;
    else {
      const parsed = parseInstant(String(value));
      if (!parsed.ok)
        throw new EngineError('VALIDATION_ERROR', `${key} ${parsed.message}`, { parameter: key });
      out[key] = parsed.date;
    }
  }
  return out;
}
