import type { Migration } from '../store/migrations.ts';

/**
 * Migration 7: webhook subscriptions beyond migration 1's `webhooks` table, their deliveries and
 * the outbox cursor of the delivery pass.
 *
 * - `webhooks`: `description`, `filters` (JSON, see `WebhookFilters`), `disabled_reason`,
 *   `consecutive_failures` (dead letters in a row), `previous_secret` and
 *   `previous_secret_expires_at` (a rotated-out secret still signed with until then), `updated_at`.
 *   `secret` is stored as issued: signing needs it back (see the README's Webhooks section).
 *   `last_delivered_seq` is the subscription's watermark: it receives only events with a larger
 *   outbox sequence number (set to the newest event when it is created).
 * - `webhook_deliveries`: one row per (event, subscription): the body built once when the row is
 *   created (every retry sends the same bytes), the status, the attempts (JSON list), when the next
 *   attempt is due. `seq` orders deliveries newest first.
 * - `webhook_cursor`: one row, the outbox sequence number up to which events have been fanned out.
 *
 * No index or key constraint (a DuckDB table with one cannot be altered by a later migration, and
 * an indexed row updated in the transaction that inserted it trips DuckDB's eager key checks): the
 * one delivery per (event id, subscription id) is kept by the delivery pass, which inserts only
 * when no row has that pair, under the database's single write lock.
 */
export const webhooksMigration: Migration = {
  version: 7,
  name: 'webhook filters, secret rotation, deliveries and the outbox cursor',
  statements: [
    "ALTER TABLE webhooks ADD COLUMN description VARCHAR DEFAULT ''",
    "ALTER TABLE webhooks ADD COLUMN filters JSON DEFAULT '{}'",
    'ALTER TABLE webhooks ADD COLUMN disabled_reason VARCHAR',
    'ALTER TABLE webhooks ADD COLUMN consecutive_failures INTEGER DEFAULT 0',
    'ALTER TABLE webhooks ADD COLUMN previous_secret VARCHAR',
    'ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at TIMESTAMP',
    'ALTER TABLE webhooks ADD COLUMN updated_at TIMESTAMP',
    'UPDATE webhooks SET updated_at = created_at',
    `CREATE TABLE webhook_deliveries (
      id UUID NOT NULL,
      seq BIGINT NOT NULL,
      webhook_id UUID NOT NULL,
      event_id UUID NOT NULL,
      event_seq BIGINT,
      event_type VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      body VARCHAR NOT NULL,
      attempts JSON NOT NULL,
      attempt_count INTEGER NOT NULL,
      first_attempt_at TIMESTAMP,
      next_attempt_at TIMESTAMP,
      created_at TIMESTAMP NOT NULL,
      delivered_at TIMESTAMP
    )`,
    'CREATE SEQUENCE webhook_deliveries_seq START 1',
    'CREATE TABLE webhook_cursor (last_seq BIGINT NOT NULL)',
    'INSERT INTO webhook_cursor SELECT coalesce(max(seq), 0) FROM events',
  ],
};
