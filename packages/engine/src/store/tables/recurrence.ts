/**
 * Incident recurrence analyses: groups of incidents that keep coming back.
 *
 * `fingerprint` is the analysis' stable key (the signature of its group: the most frequent
 * incident fingerprint of the group). Re-runs update the row with the same signature (or, when the
 * group drifted, the row sharing the most incidents) instead of adding one, so the service keeps it
 * unique (no unique index: DuckDB checks index constraints eagerly, which breaks updating a key
 * inside the transaction that reads it). `resolution_notes` is what the resolver wrote.
 */
export const recurrenceTables = [
  `CREATE TABLE recurrence_analyses (
    id UUID PRIMARY KEY,
    recurrence_type VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    confidence_score DOUBLE NOT NULL,
    related_incidents UUID[] NOT NULL,
    occurrence_count INTEGER NOT NULL,
    first_seen TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    mean_interval_hours DOUBLE,
    affected_services VARCHAR[] NOT NULL DEFAULT [],
    description VARCHAR NOT NULL DEFAULT '',
    metadata JSON,
    is_resolved BOOLEAN NOT NULL DEFAULT false,
    resolved_at TIMESTAMP,
    resolved_by UUID,
    resolution_notes VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
