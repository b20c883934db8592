import type { Row } from '../store/database.ts';
import type { ListSpec } from '../store/list-query.ts';
import type {
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
  WebhookFilters,
  WebhookRecord,
} from './webhook-types.ts';

/** Select list of a subscription as the API shows it: never the secrets. */
export const webhookSelect = `id::VARCHAR AS id, url, event_types, coalesce(description, '') AS description,
  is_active, coalesce(filters, '{}')::VARCHAR AS filters, disabled_reason,
  coalesce(consecutive_failures, 0) AS consecutive_failures, previous_secret_expires_at,
  created_by::VARCHAR AS created_by, created_at, coalesce(updated_at, created_at) AS updated_at`;

/** The subscription list: filters `is_active`, `event_type`; ordering `created_at`, `url`. */
export const webhookListSpec: ListSpec = {
  from: 'webhooks',
  select: webhookSelect,
  filters: {
    is_active: { column: 'is_active', op: 'eq' },
    event_type: { column: 'event_types', op: 'contains' },
  },
  orderable: { created_at: 'created_at', url: 'url' },
  searchable: ['url', 'description'],
  defaultOrdering: '-created_at',
};

/** A selected subscription row as the record. */
export function toWebhookRecord(row: Row): WebhookRecord {
  return {
    id: String(row['id']),
    url: String(row['url']),
    event_types: [...((row['event_types'] as string[] | null) ?? [])] as WebhookRecord['event_types'],
    description: String(row['description'] ?? ''),
    is_active: Boolean(row['is_active']),
    filters: JSON.parse(String(row['filters'] ?? '{}')) as WebhookFilters,
    disabled_reason: (row['disabled_reason'] as string | null) ?? null,
    consecutive_failures: Number(row['consecutive_failures'] ?? 0),
    previous_secret_expires_at: (row['previous_secret_expires_at'] as Date | null) ?? null,
    created_by: (row['created_by'] as string | null) ?? null,
    created_at: row['created_at'] as Date,
    updated_at: row['updated_at'] as Date,
  };
}

/** Select list of a delivery as the API shows it (the stored body is not part of it). */
export const deliverySelect = `id::VARCHAR AS id, webhook_id::VARCHAR AS webhook_id, event_id::VARCHAR AS event_id,
  event_type, status, attempts::VARCHAR AS attempts, next_attempt_at, created_at, delivered_at`;

/** The deliveries of one subscription (`where` bound to `$webhook`), newest first; filter `status`. */
export const deliveryListSpec: ListSpec = {
  from: 'webhook_deliveries',
  select: deliverySelect,
  filters: { status: { column: 'status', op: 'eq' } },
  orderable: { created_at: 'created_at', seq: 'seq' },
  searchable: [],
  defaultOrdering: '-created_at,-seq',
};

/** A stored attempt (JSON, dates as ISO text) as the record's attempt. */
interface StoredAttempt {
  attempt: number;
  attempted_at: string;
  response_code: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

/** An attempt as stored in the `attempts` JSON list. */
export function storedAttempt(attempt: DeliveryAttempt): StoredAttempt {
  return { ...attempt, attempted_at: attempt.attempted_at.toISOString() };
}

/** A selected delivery row as the record. */
export function toDeliveryRecord(row: Row): DeliveryRecord {
  const attempts = JSON.parse(String(row['attempts'] ?? '[]')) as StoredAttempt[];
  return {
    id: String(row['id']),
    webhook_id: String(row['webhook_id']),
    event_id: String(row['event_id']),
    event_type: row['event_type'] as DeliveryRecord['event_type'],
    status: row['status'] as DeliveryStatus,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      attempted_at: new Date(a.attempted_at),
      response_code: a.response_code,
      duration_ms: a.duration_ms,
      response_excerpt: a.response_excerpt,
      error: a.error,
    })),
    next_attempt_at: (row['next_attempt_at'] as Date | null) ?? null,
    created_at: row['created_at'] as Date,
    delivered_at: (row['delivered_at'] as Date | null) ?? null,
  };
}
