import type { EngineContext } from '../context.ts';
import type { Row } from '../store/database.ts';
import { nextAttemptAfterFailure } from './backoff.ts';
import { type SendOptions, type SendOutcome, sendWebhook } from './sender.ts';
import { signatureHeader } from './signature.ts';
import type { ResolveAll } from './url-check.ts';
import type { ResolvedWebhookOptions } from './webhook-input.ts';
import { storedAttempt } from './webhook-rows.ts';
import type { DeliveryAttempt } from './webhook-types.ts';

/** The `User-Agent` of deliveries; the number is the delivery format's version (`v1` signatures). */
const webhookUserAgent = 'IncidentInsights-Webhooks/1';

/** What an attempt came to for the pass's counts. */
export type AttemptResult = 'succeeded' | 'retrying' | 'dead' | 'dead-and-disabled';

/** Everything one attempt needs: the delivery joined with its subscription. */
export const dueSelect = `SELECT d.id::VARCHAR AS id, d.webhook_id::VARCHAR AS webhook_id, d.event_id::VARCHAR AS event_id,
  d.event_type, d.body, d.attempts::VARCHAR AS attempts, d.attempt_count, d.first_attempt_at,
  w.url, w.secret, w.previous_secret, w.previous_secret_expires_at, w.consecutive_failures
  FROM webhook_deliveries AS d JOIN webhooks AS w ON w.id = d.webhook_id`;

/** Deliveries due now (PENDING, or RETRYING whose time has come) of active subscriptions. */
export const dueWhere = `w.is_active AND (d.status = 'PENDING' OR (d.status = 'RETRYING' AND d.next_attempt_at <= $now))`;

/** Makes one attempt at a delivery and records it; see the README's Webhooks section. */
export interface AttemptDeps {
  readonly context: EngineContext;
  readonly options: ResolvedWebhookOptions;
  readonly allowed: ReadonlySet<string>;
  readonly resolveAll: ResolveAll;
  /** Keep-alive agents shared by the attempts (see `SendOptions.agents`). */
  readonly agents?: SendOptions['agents'];
  /** Subscriptions given a dead letter by this process since their last reset. */
  readonly failing: Set<string>;
  /** The jitter stream: uniform draws in [0, 1). */
  readonly draw: () => number;
}

/**
 * Sends a due delivery (`row` from {@link dueSelect}) once and records the outcome at once, in its
 * own transaction: SUCCEEDED as soon as the 2xx has arrived (so a crash afterwards never sends it
 * again), else RETRYING with its next time, or DEAD past the retry horizon. A dead letter counts
 * against the subscription, which is disabled with a reason after `disableAfterFailures` in a row;
 * a success resets the count.
 */
export async function attemptDelivery(deps: AttemptDeps, row: Row): Promise<AttemptResult> {
  const { context, options } = deps;
  const attemptedAt = context.now();
  const timestamp = Math.floor(attemptedAt.getTime() / 1000);
  const body = String(row['body']);
  const secrets = [String(row['secret'])];
  const previousUntil = row['previous_secret_expires_at'] as Date | null;
  if (row['previous_secret'] && previousUntil && previousUntil.getTime() > attemptedAt.getTime()) {
    secrets.push(String(row['previous_secret']));
  }
  const outcome: SendOutcome = await sendWebhook(String(row['url']), body, {
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': webhookUserAgent,
      'X-Insights-Event-Id': String(row['event_id']),
      'X-Insights-Event-Type': String(row['event_type']),
      'X-Insights-Delivery-Id': String(row['id']),
      'X-Insights-Timestamp': String(timestamp),
      'X-Insights-Signature': signatureHeader(secrets, timestamp, body),
    },
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    allowed: deps.allowed,
    resolveAll: deps.resolveAll,
    agents: deps.agents,
  });
  const attemptNumber = Number(row['attempt_count']) + 1;
  const attempt: DeliveryAttempt = {
    attempt: attemptNumber,
    attempted_at: attemptedAt,
    response_code: outcome.responseCode,
    duration_ms: outcome.durationMs,
    response_excerpt: outcome.excerpt,
    error: outcome.error,
  };
  const attempts = JSON.stringify([
    ...(JSON.parse(String(row['attempts'] ?? '[]')) as unknown[]),
    storedAttempt(attempt),
  ]);
  const firstAttemptAt = (row['first_attempt_at'] as Date | null) ?? attemptedAt;
  const recordedAt = context.now();
  const ids = { id: String(row['id']), webhook: String(row['webhook_id']) };
  if (outcome.ok) {
    // One statement, committed at once: the 2xx is on record before anything else happens.
    await context.db.run(
      `UPDATE webhook_deliveries SET status = 'SUCCEEDED', attempts = $attempts::JSON, attempt_count = $n,
         first_attempt_at = $first, next_attempt_at = NULL, delivered_at = $at WHERE id = $id::UUID`,
      { id: ids.id, attempts, n: attemptNumber, first: firstAttemptAt, at: recordedAt },
    );
    // The count is reset only when it may be above 0 (as read with the row, or raised by a dead
    // letter since in this process): a success then costs one write, not two.
    if (Number(row['consecutive_failures'] ?? 0) !== 0 || deps.failing.has(ids.webhook)) {
      deps.failing.delete(ids.webhook);
      await context.db.run('UPDATE webhooks SET consecutive_failures = 0 WHERE id = $webhook::UUID', {
        webhook: ids.webhook,
      });
    }
    return 'succeeded';
  }
  const next = nextAttemptAfterFailure({
    attempt: attemptNumber,
    firstAttemptAt,
    now: recordedAt,
    initialMs: options.initialBackoffMs,
    horizonMs: options.retryHorizonMs,
    draw: deps.draw(),
  });
  return context.db.transaction(async (tx) => {
    await tx.run(
      `UPDATE webhook_deliveries SET status = $status, attempts = $attempts::JSON, attempt_count = $n,
         first_attempt_at = $first, next_attempt_at = $next WHERE id = $id::UUID`,
      {
        id: ids.id,
        status: next ? 'RETRYING' : 'DEAD',
        attempts,
        n: attemptNumber,
        first: firstAttemptAt,
        next: next ?? null,
      },
    );
    if (next) return 'retrying';
    deps.failing.add(ids.webhook);
    const hook = await tx.one(
      `UPDATE webhooks SET consecutive_failures = coalesce(consecutive_failures, 0) + 1 WHERE id = $webhook::UUID
       RETURNING consecutive_failures, is_active`,
      { webhook: ids.webhook },
    );
    const failures = Number(hook?.['consecutive_failures'] ?? 0);
    if (hook?.['is_active'] && failures >= options.disableAfterFailures) {
      await tx.run(
        `UPDATE webhooks SET is_active = false, disabled_reason = $reason, updated_at = $at WHERE id = $webhook::UUID`,
        {
          webhook: ids.webhook,
          at: recordedAt,
          reason: `disabled after ${failures} failed deliveries in a row (last: ${outcome.error ?? 'failed'})`,
        },
      );
      return 'dead-and-disabled';
    }
    return 'dead';
  });
}
