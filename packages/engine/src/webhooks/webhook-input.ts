import { z } from 'zod';
import { parseInput } from '../input/parse-input.ts';
import { anomalySeverities, eventTypes } from '../schema/enums.ts';
import type { WebhookOptions } from './webhook-types.ts';

const label = z.string().trim().min(1).max(200);

/** The optional filters: severities from the enum, metric ids as UUIDs, service names. */
const filtersSchema = z
  .object({
    anomaly_severity: z.array(z.enum(anomalySeverities)).min(1).max(4).optional(),
    metric: z.array(z.uuid()).min(1).max(100).optional(),
    service: z.array(label).min(1).max(100).optional(),
  })
  .strict();

/** A subscription as a user sends it; unknown fields are refused. */
export const webhookInputSchema = z
  .object({
    url: z.string().min(1).max(2048),
    event_types: z
      .array(z.enum(eventTypes))
      .min(1)
      .refine((types) => new Set(types).size === types.length, { message: 'must not repeat an event type' }),
    description: z.string().max(2000).optional(),
    is_active: z.boolean().optional(),
    filters: filtersSchema.optional(),
  })
  .strict();

/** A partial update: the same fields, each optional, still strict. */
export const webhookPatchSchema = webhookInputSchema.partial().strict();

/** {@link WebhookOptions} with every default filled in. */
export type ResolvedWebhookOptions = Required<Omit<WebhookOptions, 'allowHosts'>> & {
  readonly allowHosts: readonly string[];
};

const positiveMs = z
  .number()
  .int()
  .min(1)
  .max(366 * 86_400_000);
const optionsSchema = z
  .object({
    allowHosts: z.array(z.string().trim().min(1).max(253)).max(100).default([]),
    timeoutMs: positiveMs.default(10_000),
    retryHorizonMs: positiveMs.default(86_400_000),
    initialBackoffMs: positiveMs.default(30_000),
    disableAfterFailures: z.number().int().min(1).max(1000).default(5),
    secretGraceMs: z
      .number()
      .int()
      .min(0)
      .max(366 * 86_400_000)
      .default(86_400_000),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(64 * 1024),
    jitterSeed: z.number().int().default(0x5eed),
  })
  .strict();

/**
 * The webhook options with defaults (timeout 10 s, horizon 24 h, first backoff 30 s, disabled after
 * 5 dead letters in a row, secret grace 24 h, 64 KiB of response read).
 *
 * @throws EngineError VALIDATION_ERROR for a bad option.
 */
export function resolveWebhookOptions(options: WebhookOptions | undefined): ResolvedWebhookOptions {
  return parseInput(optionsSchema, options ?? {}, 'webhooks option') as ResolvedWebhookOptions;
}
