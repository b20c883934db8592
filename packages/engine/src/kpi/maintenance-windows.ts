import { EngineError, notFound } from '../errors.ts';
import { zodIssuesToFieldErrors } from '../input/field-errors.ts';
import type { Database, Row } from '../store/database.ts';
import { type ListRequest, type ListSpec, listPage, type Page } from '../store/list-query.ts';
import { type MaintenanceWindowInput, maintenanceWindowSchema } from './metric-schema.ts';
import { isUuid } from './metric-store.ts';
import type { MaintenanceWindow } from './records.ts';

const select = `SELECT id::VARCHAR AS id, service, start_at, end_at, description, created_at FROM maintenance_windows`;

/** The filters of `engine.kpis.maintenanceWindows.list`. */
export type MaintenanceWindowListFilters = {
  readonly service?: string | undefined;
  /** Windows starting at or after. */
  readonly start_after?: Date | undefined;
  /** Windows ending at or before. */
  readonly end_before?: Date | undefined;
};

/** Filters of the maintenance-window listing. */
const maintenanceWindowListSpec: ListSpec = {
  from: `(${select}) AS w`,
  filters: {
    service: { column: 'service', op: 'eq' },
    start_after: { column: 'start_at', op: 'gte' },
    end_before: { column: 'end_at', op: 'lte' },
  },
  orderable: { start_at: 'start_at', end_at: 'end_at', service: 'service', created_at: 'created_at' },
  searchable: ['service', 'description'],
  defaultOrdering: '-start_at',
};

function toWindow(r: Row): MaintenanceWindow {
  return {
    id: String(r['id']),
    service: (r['service'] as string | null) ?? null,
    start_at: r['start_at'] as Date,
    end_at: r['end_at'] as Date,
    description: String(r['description'] ?? ''),
    created_at: r['created_at'] as Date,
  };
}

/**
 * Maintenance windows: planned downtime per service (or for every service) that availability
 * leaves out of both the agreed time and the downtime.
 */
export class MaintenanceWindows {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /**
   * Records a window.
   *
   * @throws EngineError VALIDATION_ERROR for bad fields or an end not after the start.
   */
  async create(input: MaintenanceWindowInput): Promise<MaintenanceWindow> {
    const parsed = maintenanceWindowSchema.safeParse(input);
    if (!parsed.success) {
      throw new EngineError('VALIDATION_ERROR', 'invalid maintenance window', {
        errors: zodIssuesToFieldErrors(parsed.error.issues),
      });
    }
    const w = parsed.data;
    const id = crypto.randomUUID();
    await this.db.run(
      'INSERT INTO maintenance_windows VALUES ($id::UUID, $service::VARCHAR, $start, $end, $description, $at)',
      {
        id,
        service: w.service ?? undefined,
        start: w.start_at,
        end: w.end_at,
        description: w.description,
        at: this.now(),
      },
    );
    return this.get(id);
  }

  /**
   * One window.
   *
   * @throws EngineError NOT_FOUND.
   */
  async get(id: string): Promise<MaintenanceWindow> {
    const row = isUuid(id) ? await this.db.one(`${select} WHERE id = $id::UUID`, { id }) : undefined;
    if (!row) throw notFound('maintenance window', id);
    return toWindow(row);
  }

  /** A page of windows (filters service, start_after, end_before). */
  list(request: ListRequest<MaintenanceWindowListFilters> = {}): Promise<Page<MaintenanceWindow>> {
    return listPage(this.db, maintenanceWindowListSpec, request, toWindow);
  }

  /**
   * Deletes a window.
   *
   * @throws EngineError NOT_FOUND.
   */
  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.db.run('DELETE FROM maintenance_windows WHERE id = $id::UUID', { id });
  }
}
