import type { Database } from '../../store/database.ts';

/** A window to gather context for, epoch ms, end exclusive. */
export interface ContextWindow {
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The anomaly's own series: a stored anomaly on it is the same finding, not another one. */
  readonly seriesKey: string;
}

/** A recurrence analysis with incidents in the window. */
export interface LinkedRecurrence {
  readonly id: string;
  readonly recurrence_type: string;
  /** The recurring problem's title (from its description), or its description. */
  readonly pattern: string;
  readonly occurrence_count: number;
  readonly first_seen: string;
  /** Its incidents created in the window, per service (`(none)` for none). */
  readonly in_window_by_service: Record<string, number>;
}

/** A stored anomaly whose window overlaps. */
interface OverlappingAnomaly {
  readonly id: string;
  readonly anomaly_type: string;
  readonly series_key: string;
  readonly time_window_start: string;
  readonly time_window_end: string;
  readonly description: string;
}

/** An incident of a change (deploy, release...) in the lead-up to or during the window. */
export interface PrecedingChange {
  readonly incident_id: string;
  readonly title: string;
  readonly service: string | null;
  readonly category: string | null;
  readonly created_at: string;
  /** Window start minus the change's creation, in minutes (negative: inside the window). */
  readonly minutes_before_window: number;
}

/** How changes are recognised. */
export interface ChangeSettings {
  /** Lower-case words: a change incident's category, subcategory or a tag contains one. */
  readonly words: readonly string[];
  /** Hours before the window start searched for changes (changes inside the window count too). */
  readonly leadHours: number;
}

/** What the engine already knows about each window (same order as the windows). */
export interface WindowContext {
  readonly recurrences: LinkedRecurrence[];
  readonly overlapping: OverlappingAnomaly[];
  readonly changes: PrecedingChange[];
}

const hourMs = 3_600_000;

function windowRows(windows: readonly ContextWindow[], leadHours = 0): string {
  // Numbers computed here only; nothing from a request or the data is inlined.
  return windows
    .map(
      (w, i) =>
        `(${i}, make_timestamp(${Math.round(w.windowStart) * 1000}), make_timestamp(${Math.round(w.windowEnd) * 1000}), make_timestamp(${Math.round(w.windowStart - leadHours * hourMs) * 1000}))`,
    )
    .join(', ');
}

const iso = (value: unknown) => new Date(Number(value)).toISOString();

/**
 * Linked recurrences, overlapping stored anomalies and preceding changes of every window, in three
 * queries for all windows at once. Recurrences: analyses holding incidents created in the window
 * (counted per service, so the caller can keep those of the anomaly's services). Overlapping: stored
 * anomalies on another series whose window overlaps. Changes: incidents created from `leadHours`
 * before the window start to its end whose category, subcategory or one of its tags contains a
 * change word (case-insensitive), nearest to the window start first.
 */
export async function readWindowContext(
  db: Database,
  windows: readonly ContextWindow[],
  changes: ChangeSettings,
): Promise<WindowContext[]> {
  const out: WindowContext[] = windows.map(() => ({ recurrences: [], overlapping: [], changes: [] }));
  if (windows.length === 0) return out;
  const a = `a(k, ws, we, lead) AS (VALUES ${windowRows(windows, changes.leadHours)})`;
  const recurrences = await db.all(
    `WITH ${a},
     r AS (SELECT id, unnest(related_incidents) AS incident_id FROM recurrence_analyses),
     hits AS (SELECT a.k, r.id, coalesce(i.service, '(none)') AS service, count(*)::INTEGER AS n
              FROM a JOIN incidents i ON i.created_at >= a.ws AND i.created_at < a.we
              JOIN r ON r.incident_id = i.id GROUP BY ALL)
     SELECT hits.k::INTEGER AS k, ra.id::VARCHAR AS id, ra.recurrence_type, ra.description, ra.fingerprint,
       ra.occurrence_count::INTEGER AS occurrences, epoch_ms(ra.first_seen)::DOUBLE AS first_seen,
       hits.service, hits.n
     FROM hits JOIN recurrence_analyses ra ON ra.id = hits.id ORDER BY k, id, service`,
  );
  for (const row of recurrences) {
    const list = out[Number(row['k'])]!.recurrences;
    const id = String(row['id']);
    let linked = list.find((r) => r.id === id);
    if (!linked) {
      const description = String(row['description'] ?? '');
      linked = {
        id,
        recurrence_type: String(row['recurrence_type']),
        pattern:
          /^(?:Incidents like )?'([^']+)'/.exec(description)?.[1] ??
          (description || String(row['fingerprint'])),
        occurrence_count: Number(row['occurrences']),
        first_seen: iso(row['first_seen']),
        in_window_by_service: {},
      };
      list.push(linked);
    }
    linked.in_window_by_service[String(row['service'])] = Number(row['n']);
  }
  const overlapping = await db.all(
    `WITH ${a}
     SELECT a.k::INTEGER AS k, d.id::VARCHAR AS id, d.anomaly_type, d.series_key,
       epoch_ms(d.time_window_start)::DOUBLE AS ws, epoch_ms(d.time_window_end)::DOUBLE AS we, d.description
     FROM a JOIN anomaly_detections d ON d.time_window_start < a.we AND d.time_window_end > a.ws
     ORDER BY k, d.time_window_start, d.id`,
  );
  for (const row of overlapping) {
    const k = Number(row['k']);
    if (row['series_key'] === windows[k]?.seriesKey) continue;
    out[k]!.overlapping.push({
      id: String(row['id']),
      anomaly_type: String(row['anomaly_type']),
      series_key: String(row['series_key']),
      time_window_start: iso(row['ws']),
      time_window_end: iso(row['we']),
      description: String(row['description']),
    });
  }
  if (changes.words.length === 0) return out;
  const matches = (column: string) => `contains(lower(coalesce(${column}, '')), w)`;
  const found = await db.all(
    `WITH ${a}
     SELECT a.k::INTEGER AS k, i.id::VARCHAR AS id, i.title, i.service, i.category,
       epoch_ms(i.created_at)::DOUBLE AS t, (epoch_ms(a.ws) - epoch_ms(i.created_at))::DOUBLE / 60000 AS minutes
     FROM a JOIN incidents i ON i.created_at >= a.lead AND i.created_at < a.we
     WHERE len(list_filter($words::VARCHAR[], w -> ${matches('i.category')} OR ${matches('i.subcategory')}
       OR len(list_filter(coalesce(i.tags, []), t -> contains(lower(t), w))) > 0)) > 0
     ORDER BY k, abs(minutes), i.id`,
    { words: changes.words.map((w) => w.toLowerCase()) },
  );
  for (const row of found) {
    out[Number(row['k'])]!.changes.push({
      incident_id: String(row['id']),
      title: String(row['title']),
      service: row['service'] === null ? null : String(row['service']),
      category: row['category'] === null ? null : String(row['category']),
      created_at: iso(row['t']),
      minutes_before_window: Math.round(Number(row['minutes'])),
    });
  }
  return out;
}
