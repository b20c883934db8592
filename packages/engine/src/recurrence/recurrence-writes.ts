import type { SqlParams, Transaction } from '../store/database.ts';
import type { PlannedAnalysis } from './recurrence-plan.ts';

/**
 * Inserts (action `created`) or updates one planned analysis in the caller's transaction. Does nothing else; `unchanged` plans are not passed here.
 */
export async function write(tx: Transaction, plan: PlannedAnalysis, now: Date): Promise<void> {
  const r = plan.record;
  const params: SqlParams = {
    id: r.id,
    type: r.recurrence_type,
    fingerprint: r.fingerprint,
    confidence: r.confidence_score,
    // UUIDs never contain commas; one string binds far faster than a list (see recurrence-plan.ts).
    related: r.related_incidents.join(','),
    n: r.occurrence_count,
    first: r.first_seen,
    last: r.last_seen,
    mean: r.mean_interval_hours ?? undefined,
    services: r.affected_services,
    description: r.description,
    metadata: JSON.stringify(r.metadata),
    resolved: r.is_resolved,
    resolvedAt: r.resolved_at ?? undefined,
    resolvedBy: r.resolved_by ?? undefined,
    notes: r.resolution_notes ?? undefined,
    now,
  };
  if (plan.action === 'created') {
    const { resolved: _r, resolvedAt: _a, resolvedBy: _b, notes: _n, ...insertParams } = params;
    await runOn(
      tx,
      `INSERT INTO recurrence_analyses (id, recurrence_type, fingerprint, confidence_score, related_incidents,
         occurrence_count, first_seen, last_seen, mean_interval_hours, affected_services, description, metadata,
         is_resolved, resolved_at, resolved_by, resolution_notes, created_at, updated_at)
       VALUES ($id::UUID, $type, $fingerprint, $confidence, string_split($related, ',')::UUID[], $n, $first, $last, $mean::DOUBLE,
         $services::VARCHAR[], $description, $metadata::JSON, false, NULL, NULL, NULL, $now, $now)`,
      insertParams,
    );
    return;
  }
  await runOn(
    tx,
    `UPDATE recurrence_analyses SET recurrence_type = $type, fingerprint = $fingerprint,
       confidence_score = $confidence, related_incidents = string_split($related, ',')::UUID[], occurrence_count = $n,
       first_seen = $first, last_seen = $last, mean_interval_hours = $mean::DOUBLE,
       affected_services = $services::VARCHAR[], description = $description, metadata = $metadata::JSON,
       is_resolved = $resolved, resolved_at = $resolvedAt::TIMESTAMP, resolved_by = $resolvedBy::UUID,
       resolution_notes = $notes::VARCHAR, updated_at = $now
     WHERE id = $id::UUID`,
    params,
  );
}

/** Runs one statement with bound parameters in `tx`. */
export async function runOn(tx: Transaction, sql: string, params: SqlParams): Promise<void> {
  await tx.run(sql, params);
}
