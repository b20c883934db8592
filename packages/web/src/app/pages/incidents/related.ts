import type { Api, DrfPage } from '../../api.ts';

/** Pages of 100 read at most when looking for the records that name an incident. */
export const scanPages = 5;

/** An anomaly as `/api/analytics/anomaly-detections/` returns it (the fields shown here). */
export interface RelatedAnomaly {
  id: string;
  anomaly_type: string;
  severity: string;
  status: string;
  detected_at: string;
  description: string;
  related_incidents: string[];
}

/** A recurrence analysis (the fields shown here). */
export interface RelatedRecurrence {
  id: string;
  recurrence_type: string;
  occurrence_count: number;
  confidence_score: number;
  description: string;
  is_resolved: boolean;
  related_incidents: string[];
}

/** A cost analysis (the fields shown here). */
export interface RelatedCost {
  id: string;
  incident: string;
  cost_type: string;
  cost_amount: string;
  currency: string;
  calculation_method: string;
  is_validated: boolean;
}

/** What names one incident, and whether the scan stopped before the end of a list. */
export interface Related<T> {
  items: T[];
  /** True when the list holds more than {@link scanPages} pages, so older records were not read. */
  truncated: boolean;
}

/**
 * The records of a list that match: the API has no filter by incident on anomalies, recurrence
 * analyses or cost analyses, so their first {@link scanPages} pages (in the list's default order,
 * newest first) are read and filtered here.
 */
async function scan<T>(api: Api, path: string, matches: (item: T) => boolean): Promise<Related<T>> {
  const items: T[] = [];
  for (let page = 1; page <= scanPages; page++) {
    const answer = await api.get<DrfPage<T>>(path, { page, page_size: 100 });
    items.push(...answer.results.filter(matches));
    if (answer.next === null) return { items, truncated: false };
  }
  return { items, truncated: true };
}

/** The anomalies, recurrence analyses and costs that name incident `id`. */
export async function relatedTo(api: Api, id: string) {
  const [anomalies, recurrences, costs] = await Promise.all([
    scan<RelatedAnomaly>(api, '/api/analytics/anomaly-detections/', (a) => a.related_incidents.includes(id)),
    scan<RelatedRecurrence>(api, '/api/analytics/recurrence-analyses/', (r) =>
      r.related_incidents.includes(id),
    ),
    scan<RelatedCost>(api, '/api/analytics/cost-analyses/', (c) => c.incident === id),
  ]);
  return { anomalies, recurrences, costs };
}
