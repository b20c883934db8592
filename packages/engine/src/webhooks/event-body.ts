import type { EngineContext } from '../context.ts';
import type { DomainEvent } from '../events/outbox.ts';
import type { EventType } from '../schema/enums.ts';
import type { WebhookFilters } from './webhook-types.ts';

/** What a filter can test about an event, besides its type. */
export interface EventFacts {
  /** ANOMALY_DETECTED: the anomaly's severity. */
  readonly severity?: string | undefined;
  /** KPI_THRESHOLD_BREACHED: the metric id. */
  readonly metricId?: string | undefined;
  /** Services the event names (anomalies: affected services; costs: the incident's service). */
  readonly services?: readonly string[] | undefined;
}

/**
 * Whether an event passes a subscription's filters: each filter present narrows the events of the
 * type it concerns (severity: anomalies; metric: KPI breaches; service: anomalies and costs, at
 * least one service in common) and lets the other types through. Pure.
 */
export function matchesFilters(filters: WebhookFilters, type: EventType, facts: EventFacts): boolean {
  if (filters.anomaly_severity && type === 'ANOMALY_DETECTED') {
    if (!facts.severity || !filters.anomaly_severity.includes(facts.severity as never)) return false;
  }
  if (filters.metric && type === 'KPI_THRESHOLD_BREACHED') {
    if (!facts.metricId || !filters.metric.includes(facts.metricId)) return false;
  }
  if (filters.service && (type === 'ANOMALY_DETECTED' || type === 'COST_THRESHOLD_EXCEEDED')) {
    const wanted = new Set(filters.service);
    if (!(facts.services ?? []).some((s) => wanted.has(s))) return false;
  }
  return true;
}

/** An event's delivery body (`{ id, type, created_at, data }` as JSON text) and its facts. */
export interface EventBody {
  readonly body: string;
  readonly facts: EventFacts;
}

interface ServiceLookups {
  anomalies?: { get(id: string): Promise<Record<string, unknown>> };
  kpis?: { measurements(request: object): Promise<{ results: Record<string, unknown>[] }> };
  models?: { get(id: string): Promise<Record<string, unknown>> };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The resource as its service shows it, or `undefined` when it is gone (deleted since). */
async function orUndefined<T>(read: () => Promise<T> | undefined): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/**
 * Builds an event's body once, when its deliveries are created: `data` is the resource as the API
 * shows it (the anomaly as `anomalies.get` returns it; the KPI measurement with its metric id and
 * name beside the breach figures; the model record; the cost event's figures with the incident's
 * service), dates as ISO text. A resource deleted since the event falls back to the event's own
 * payload.
 */
export async function buildEventBody(context: EngineContext, event: DomainEvent): Promise<EventBody> {
  const services = context.services as ServiceLookups;
  const p = event.payload;
  let data: Record<string, unknown> = p;
  let facts: EventFacts = {};
  switch (event.event_type) {
    case 'ANOMALY_DETECTED': {
      const id = text(p['id']);
      const anomaly = id ? await orUndefined(() => services.anomalies?.get(id)) : undefined;
      data = anomaly ?? p;
      facts = {
        severity: text(data['severity']),
        services: (data['affected_services'] as string[] | undefined) ?? [],
      };
      break;
    }
    case 'KPI_THRESHOLD_BREACHED': {
      const metricId = text(p['metric_id']);
      const start = text(p['period_start']);
      const end = text(p['period_end']);
      const page =
        metricId && start && end
          ? await orUndefined(() =>
              services.kpis?.measurements({
                filters: { metric_id: metricId, start_date: new Date(start), end_date: new Date(end) },
                pageSize: 1,
              }),
            )
          : undefined;
      const measurement = page?.results.find((m) => m['id'] === p['measurement_id']) ?? page?.results[0];
      data = { ...p, measurement: measurement ?? null };
      facts = { metricId };
      break;
    }
    case 'MODEL_TRAINING_COMPLETED': {
      const id = text(p['model_id']);
      const model = id ? await orUndefined(() => services.models?.get(id)) : undefined;
      data = model ? { ...model, version: p['version'] ?? model['version'] } : p;
      break;
    }
    case 'COST_THRESHOLD_EXCEEDED': {
      const incident = text(p['incident_id']);
      const row = incident
        ? await context.db.one('SELECT service FROM incidents WHERE id = TRY_CAST($id AS UUID)', {
            id: incident,
          })
        : undefined;
      const service = (row?.['service'] as string | null | undefined) ?? null;
      data = { ...p, service };
      facts = { services: service ? [service] : [] };
      break;
    }
  }
  const body = JSON.stringify({
    id: event.id,
    type: event.event_type,
    created_at: event.created_at.toISOString(),
    data,
  });
  return { body, facts };
}
