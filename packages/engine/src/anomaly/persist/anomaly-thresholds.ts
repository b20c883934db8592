import { z } from 'zod';
import { EngineError, notFound } from '../../errors.ts';
import { zodIssuesToFieldErrors } from '../../input/field-errors.ts';
import type { Database, Row } from '../../store/database.ts';
import { type ListRequest, type ListSpec, listPage, type Page } from '../../store/list-query.ts';
import type { DetectOptions } from '../detect/detect.ts';
import type { IncidentSeries } from '../run/incident-series.ts';

/**
 * KPI names a threshold may target instead of a series key; each means the daily total series of
 * that metric.
 */
export const thresholdKpiSeries = {
  INCIDENT_COUNT: 'incident_count:day:all',
  MTTA: 'mtta_minutes:day:all',
  MTTR: 'mttr_hours:day:all',
  ESCALATION_RATE: 'escalation_rate:day:all',
  COST: 'cost:day:all',
} as const;

const seriesPattern =
  /^(incident_count|mtta_minutes|mttr_hours|escalation_rate|cost):(hour|day):(all|(service|category|severity)=.+)$/;

/**
 * A user threshold as clients send it. `series` is a series key
 * (`incident_count:hour:service=checkout`, `mtta_minutes:day:all`, ...) or a KPI name of
 * {@link thresholdKpiSeries}. STATIC needs `lower` and/or `upper` (in the series' unit: incidents
 * per bucket, minutes, hours, percent, USD); DYNAMIC learns its band from the series and takes
 * `sensitivity`.
 */
export const anomalyThresholdInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    series: z
      .string()
      .trim()
      .refine((v) => v in thresholdKpiSeries || seriesPattern.test(v), {
        message: `a series key like incident_count:hour:service=checkout, or one of ${Object.keys(thresholdKpiSeries).join(', ')}`,
      }),
    kind: z.enum(['STATIC', 'DYNAMIC']),
    lower: z.number().finite().nullish(),
    upper: z.number().finite().nullish(),
    sensitivity: z.enum(['low', 'medium', 'high']).nullish(),
    is_active: z.boolean().default(true),
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'STATIC' && t.lower == null && t.upper == null) {
      ctx.addIssue({ code: 'custom', path: ['upper'], message: 'a STATIC threshold needs lower or upper' });
    }
    if (t.lower != null && t.upper != null && t.lower > t.upper) {
      ctx.addIssue({ code: 'custom', path: ['lower'], message: 'lower is above upper' });
    }
  });

/** Input of a threshold before validation. */
export type AnomalyThresholdInput = z.input<typeof anomalyThresholdInputSchema>;

/** A stored threshold. */
export interface AnomalyThreshold {
  id: string;
  name: string;
  series: string;
  kind: 'STATIC' | 'DYNAMIC';
  lower: number | null;
  upper: number | null;
  sensitivity: 'low' | 'medium' | 'high' | null;
  is_active: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const select = `id::VARCHAR AS id, name, series, kind, lower, upper, sensitivity, is_active,
  created_by::VARCHAR AS created_by, created_at, updated_at`;

/** The filters of `engine.anomalies.thresholds.list`. */
export type AnomalyThresholdListFilters = {
  readonly kind?: string | undefined;
  readonly is_active?: boolean | undefined;
};

const listSpec: ListSpec = {
  from: 'anomaly_thresholds',
  select,
  filters: { kind: { column: 'kind', op: 'eq' }, is_active: { column: 'is_active', op: 'eq' } },
  orderable: { name: 'name', created_at: 'created_at', series: 'series' },
  searchable: ['name', 'series'],
  defaultOrdering: 'name',
};

function toThreshold(r: Row): AnomalyThreshold {
  return {
    id: String(r['id']),
    name: String(r['name']),
    series: String(r['series']),
    kind: r['kind'] as 'STATIC' | 'DYNAMIC',
    lower: (r['lower'] as number | null) ?? null,
    upper: (r['upper'] as number | null) ?? null,
    sensitivity: (r['sensitivity'] as AnomalyThreshold['sensitivity']) ?? null,
    is_active: Boolean(r['is_active']),
    created_by: (r['created_by'] as string | null) ?? null,
    created_at: r['created_at'] as Date,
    updated_at: r['updated_at'] as Date,
  };
}

function parseInput(input: unknown): z.output<typeof anomalyThresholdInputSchema> {
  const parsed = anomalyThresholdInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new EngineError('VALIDATION_ERROR', 'invalid anomaly threshold', {
      errors: zodIssuesToFieldErrors(parsed.error.issues),
    });
  }
  return parsed.data;
}

/** The bound SQL parameters of a threshold's settings, shared by create and update. */
function settingParams(t: z.output<typeof anomalyThresholdInputSchema>) {
  return {
    name: t.name,
    series: t.series,
    kind: t.kind,
    lower: t.lower ?? null,
    upper: t.upper ?? null,
    sensitivity: t.sensitivity ?? null,
    active: t.is_active,
  };
}

/**
 * The thresholds resource: static or dynamic bands users put on series and KPIs, read by the
 * THRESHOLD family of every run.
 */
export class AnomalyThresholdStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** One page of thresholds (filters `kind`, `is_active`; search in name and series). */
  list(request: ListRequest<AnomalyThresholdListFilters> = {}): Promise<Page<AnomalyThreshold>> {
    return listPage(this.db, listSpec, request, toThreshold);
  }

  /** @throws EngineError NOT_FOUND */
  async get(id: string): Promise<AnomalyThreshold> {
    if (!z.uuid().safeParse(id).success) throw notFound('anomaly threshold', id);
    const row = await this.db.one(`SELECT ${select} FROM anomaly_thresholds WHERE id = $id::UUID`, { id });
    if (!row) throw notFound('anomaly threshold', id);
    return toThreshold(row);
  }

  /** @throws EngineError VALIDATION_ERROR with field-level errors. */
  async create(input: unknown, createdBy?: string): Promise<AnomalyThreshold> {
    const t = parseInput(input);
    const id = crypto.randomUUID();
    const now = this.now();
    await this.db.run(
      `INSERT INTO anomaly_thresholds VALUES ($id::UUID, $name, $series, $kind, $lower, $upper, $sensitivity,
         $active, $by::UUID, $now, $now)`,
      {
        id,
        ...settingParams(t),
        by: createdBy ?? null,
        now,
      },
    );
    return this.get(id);
  }

  /** Replaces a threshold's settings. @throws EngineError NOT_FOUND, VALIDATION_ERROR */
  async update(id: string, input: unknown): Promise<AnomalyThreshold> {
    await this.get(id);
    const t = parseInput(input);
    await this.db.run(
      `UPDATE anomaly_thresholds SET name = $name, series = $series, kind = $kind, lower = $lower, upper = $upper,
         sensitivity = $sensitivity, is_active = $active, updated_at = $now WHERE id = $id::UUID`,
      {
        id,
        ...settingParams(t),
        now: this.now(),
      },
    );
    return this.get(id);
  }

  /** @throws EngineError NOT_FOUND */
  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.db.run('DELETE FROM anomaly_thresholds WHERE id = $id::UUID', { id });
  }
}

/**
 * The active thresholds paired with the run's series they target and the detector options that
 * apply them. Thresholds whose series the run did not build (a slice below the minimum incident
 * count, or cost without cost analyses) are skipped.
 */
export async function readThresholdSeries(
  db: Database,
  series: readonly IncidentSeries[],
): Promise<{ name: string; series: IncidentSeries[]; options: DetectOptions }[]> {
  const rows = await db.all(`SELECT ${select} FROM anomaly_thresholds WHERE is_active ORDER BY name, id`);
  const byKey = new Map(series.map((s) => [s.key, s]));
  const out: { name: string; series: IncidentSeries[]; options: DetectOptions }[] = [];
  for (const t of rows.map(toThreshold)) {
    const key = thresholdKpiSeries[t.series as keyof typeof thresholdKpiSeries] ?? t.series;
    const target = byKey.get(key);
    if (!target) continue;
    const options: DetectOptions =
      t.kind === 'STATIC'
        ? {
            methods: ['threshold'],
            thresholds: {
              ...(t.lower === null ? {} : { lower: t.lower }),
              ...(t.upper === null ? {} : { upper: t.upper }),
            },
          }
        : { methods: ['dynamic_threshold'], ...(t.sensitivity ? { sensitivity: t.sensitivity } : {}) };
    out.push({ name: t.name, series: [target], options });
  }
  return out;
}
