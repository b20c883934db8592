import type { AnomalySeverity, EventType } from '../schema/enums.ts';

/** Optional narrowing of the events a subscription receives; an absent filter matches all. */
export interface WebhookFilters {
  /** ANOMALY_DETECTED only: the anomaly severities wanted. */
  readonly anomaly_severity?: readonly AnomalySeverity[];
  /** KPI_THRESHOLD_BREACHED only: the metric ids wanted. */
  readonly metric?: readonly string[];
  /** Events naming services (anomalies, costs): at least one of these services. */
  readonly service?: readonly string[];
}

/** A webhook subscription as the API shows it (never with its secret). */
export interface WebhookRecord {
  id: string;
  url: string;
  event_types: EventType[];
  description: string;
  is_active: boolean;
  filters: WebhookFilters;
  /** Why the subscription was disabled (by failures or by hand); null while active. */
  disabled_reason: string | null;
  /** Consecutive failed deliveries (dead letters) since the last success. */
  consecutive_failures: number;
  /** The previous secret is still accepted by receivers until this time; null when none. */
  previous_secret_expires_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A subscription just created or whose secret was just rotated: the only time the secret is shown. */
export interface WebhookWithSecret extends WebhookRecord {
  secret: string;
}

/** What a user sends to create a subscription (spec-named fields, as the API receives them). */
export interface WebhookInput {
  url: string;
  event_types: EventType[];
  description?: string;
  is_active?: boolean;
  filters?: WebhookFilters;
}

/** Status of one delivery of one event to one subscription. */
export const deliveryStatuses = ['PENDING', 'RETRYING', 'SUCCEEDED', 'DEAD'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One attempt to send a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  attempted_at: Date;
  /** HTTP status code, null when no response (refused, timeout, blocked address). */
  response_code: number | null;
  duration_ms: number;
  /** The first bytes (at most 1,024) of the response body, control characters kept as text. */
  response_excerpt: string | null;
  /** Why the attempt failed (connection refused, timeout, non-2xx, address refused); null on success. */
  error: string | null;
}

/** One event's delivery to one subscription, with its attempts. */
export interface DeliveryRecord {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: EventType | 'WEBHOOK_TEST';
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** What one delivery pass did (`deliver_webhooks` job result, `insights deliver-webhooks`). */
export interface DeliveryPassResult {
  /** Outbox events read in this pass (new since the last pass). */
  eventsRead: number;
  /** Deliveries created for them (one per matching active subscription). */
  deliveriesCreated: number;
  attempted: number;
  succeeded: number;
  /** Attempts that failed and will be retried. */
  retrying: number;
  /** Deliveries that ran out of retries in this pass. */
  deadLettered: number;
  /** Subscriptions disabled in this pass after repeated failures. */
  disabled: number;
}

/** Engine options of the webhooks capability (`openEngine({ webhooks: { ... } })`). */
export interface WebhookOptions {
  /**
   * Hosts (names or IP literals) allowed even though they resolve to private, loopback or
   * link-local addresses; `insights serve --webhook-allow` and `INSIGHTS_WEBHOOK_ALLOW` fill it.
   */
  readonly allowHosts?: readonly string[];
  /** Per-attempt timeout, ms; default 10,000. */
  readonly timeoutMs?: number;
  /** Retry horizon: no retry is scheduled later than this after the first attempt; default 24 h. */
  readonly retryHorizonMs?: number;
  /** First backoff, doubled each attempt, with full jitter; default 30 s. */
  readonly initialBackoffMs?: number;
  /** Dead letters in a row after which a subscription is disabled; default 5. */
  readonly disableAfterFailures?: number;
  /** How long a rotated-out secret is still accepted; default 24 h. */
  readonly secretGraceMs?: number;
  /** Response bytes read at most; default 64 KiB. */
  readonly maxResponseBytes?: number;
  /** Seed of the retry jitter (tests pin it). */
  readonly jitterSeed?: number;
}
