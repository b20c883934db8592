import { z } from '@hono/zod-openapi';
import { anomalySeverities, deliveryStatuses, eventTypes } from '@incident-insights/engine';

const FiltersSchema = z
  .strictObject({
    anomaly_severity: z
      .array(z.enum(anomalySeverities))
      .min(1)
      .optional()
      .openapi({ description: 'ANOMALY_DETECTED only: the anomaly severities wanted' }),
    metric: z
      .array(z.uuid({ error: 'must be a UUID' }))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'KPI_THRESHOLD_BREACHED only: the metric ids wanted' }),
    service: z
      .array(z.string().trim().min(1).max(200))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Events naming services (anomalies, costs): at least one of these' }),
  })
  .openapi('WebhookFilters', { description: 'Optional narrowing; an absent filter matches every event' });

/** A webhook subscription as the API shows it: never with its secret. */
export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string().openapi({ example: 'https://hooks.example.com/insights' }),
    event_types: z.array(z.enum(eventTypes)),
    description: z.string(),
    is_active: z.boolean(),
    filters: FiltersSchema,
    disabled_reason: z
      .string()
      .nullable()
      .openapi({ description: 'Why the subscription was disabled (repeated failures or by hand)' }),
    consecutive_failures: z
      .number()
      .int()
      .openapi({ description: 'Dead-lettered deliveries in a row since the last success' }),
    previous_secret_expires_at: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: 'Until then deliveries are also signed with the rotated-out secret' }),
    created_by: z.uuid().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('Webhook');

/** A subscription just created or whose secret was just rotated: the only answers holding the secret. */
export const WebhookWithSecretSchema = WebhookSchema.extend({
  secret: z.string().openapi({
    description:
      'The signing secret, shown only in this answer: X-Insights-Signature is v1=<hex HMAC-SHA256 of "<timestamp>.<body>">',
  }),
}).openapi('WebhookWithSecret');

const bodyFields = {
  url: z.string().min(1).max(2048).openapi({
    description:
      'http(s) URL; private, loopback and link-local addresses are refused unless the server allows the host (`--webhook-allow`)',
  }),
  event_types: z
    .array(z.enum(eventTypes))
    .min(1, { error: 'name at least one event type' })
    .refine((types) => new Set(types).size === types.length, { error: 'must not repeat an event type' }),
  description: z.string().max(2000),
  is_active: z.boolean(),
  filters: FiltersSchema,
};

/** Body of create and replace: `url` and `event_types` required, the rest optional. */
export const WebhookBody = z
  .strictObject({
    url: bodyFields.url,
    event_types: bodyFields.event_types,
    description: bodyFields.description.optional(),
    is_active: bodyFields.is_active.optional(),
    filters: bodyFields.filters.optional(),
  })
  .openapi('WebhookInput');

/** Body of PATCH: any of the fields; `is_active: true` re-enables a disabled subscription. */
export const WebhookPatchBody = z
  .strictObject({
    url: bodyFields.url.optional(),
    event_types: bodyFields.event_types.optional(),
    description: bodyFields.description.optional(),
    is_active: bodyFields.is_active.optional(),
    filters: bodyFields.filters.optional(),
  })
  .openapi('WebhookPatch');

/** One attempt of a delivery. */
const DeliveryAttemptSchema = z
  .object({
    attempt: z.number().int(),
    attempted_at: z.string().datetime(),
    response_code: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'HTTP status; null when there was no response' }),
    duration_ms: z.number(),
    response_excerpt: z
      .string()
      .nullable()
      .openapi({ description: 'The first bytes (at most 1,024) of the response body' }),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'Why the attempt failed (refused, timeout, non-2xx, address refused)' }),
  })
  .openapi('WebhookDeliveryAttempt');

/** One event's delivery to one subscription, with its attempts. */
export const DeliverySchema = z
  .object({
    id: z.uuid(),
    webhook_id: z.uuid(),
    event_id: z.uuid().openapi({ description: 'X-Insights-Event-Id: the idempotency key of the receiver' }),
    event_type: z.enum([...eventTypes, 'WEBHOOK_TEST']),
    status: z.enum(deliveryStatuses).openapi({
      description:
        'PENDING (not tried yet), RETRYING (failed, tried again at next_attempt_at), SUCCEEDED, DEAD (out of retries)',
    }),
    attempts: z.array(DeliveryAttemptSchema),
    next_attempt_at: z.string().datetime().nullable(),
    created_at: z.string().datetime(),
    delivered_at: z.string().datetime().nullable(),
  })
  .openapi('WebhookDelivery');

/** Path parameters of one delivery of one subscription. */
export const DeliveryParams = z.object({
  id: z.uuid({ error: 'must be a UUID' }).openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
  delivery_id: z
    .uuid({ error: 'must be a UUID' })
    .openapi({ param: { name: 'delivery_id', in: 'path' }, format: 'uuid' }),
});
