/** Incident recurrence analyses: groups of incidents that keep coming back. */
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
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
