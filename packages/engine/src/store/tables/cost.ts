/** Cost impact analyses per incident. Money is DECIMAL, never floating point. */
export const costTables = [
  `CREATE TABLE cost_analyses (
    id UUID PRIMARY KEY,
    incident_id UUID NOT NULL,
    cost_type VARCHAR NOT NULL,
    cost_amount DECIMAL(18, 2) NOT NULL,
    currency VARCHAR NOT NULL DEFAULT 'USD',
    calculation_method VARCHAR NOT NULL DEFAULT '',
    calculation_details JSON,
    downtime_hours DECIMAL(18, 4),
    affected_users INTEGER,
    revenue_impact DECIMAL(18, 2),
    business_unit VARCHAR,
    service_tier VARCHAR,
    is_validated BOOLEAN NOT NULL DEFAULT false,
    validated_by UUID,
    validated_at TIMESTAMP,
    validation_notes VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
