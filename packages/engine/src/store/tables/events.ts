/** The outbox of domain events, and the webhook subscriptions that deliver them. */
export const eventTables = [
  `CREATE TABLE events (
    id UUID PRIMARY KEY,
    seq BIGINT NOT NULL,
    event_type VARCHAR NOT NULL,
    payload JSON NOT NULL,
    created_at TIMESTAMP NOT NULL
  )`,
  'CREATE SEQUENCE events_seq START 1',
  `CREATE TABLE webhooks (
    id UUID PRIMARY KEY,
    url VARCHAR NOT NULL,
    event_types VARCHAR[] NOT NULL,
    secret VARCHAR NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    last_delivered_seq BIGINT NOT NULL DEFAULT 0,
    created_by UUID,
    created_at TIMESTAMP NOT NULL
  )`,
];
