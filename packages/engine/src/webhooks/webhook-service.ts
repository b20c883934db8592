import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { parseInput } from '../input/parse-input.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { type ListRequest, listPage, type Page } from '../store/list-query.ts';
import { type AttemptDeps, type AttemptResult, attemptDelivery, dueSelect } from './delivery-attempt.ts';
import { hasDeliveryWork, runDeliveryPass } from './delivery-pass.ts';
import { allowSet, checkWebhookUrl, type ResolveAll, systemResolveAll } from './url-check.ts';
import {
  type ResolvedWebhookOptions,
  resolveWebhookOptions,
  webhookInputSchema,
  webhookPatchSchema,
} from './webhook-input.ts';
import {
  deliveryListSpec,
  deliverySelect,
  toDeliveryRecord,
  toWebhookRecord,
  webhookListSpec,
  webhookSelect,
} from './webhook-rows.ts';
import type {
  DeliveryPassResult,
  DeliveryRecord,
  WebhookInput,
  WebhookOptions,
  WebhookRecord,
  WebhookWithSecret,
} from './webhook-types.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Deliveries attempted side by side in a pass. */
const concurrency = 8;

/** A new signing secret: `whsec_` and 32 random bytes in hex. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

/** The filter values of the subscription list: `is_active` (boolean or `"true"`/`"false"`), `event_type`. */
export interface WebhookListFilters {
  readonly is_active?: boolean | string | undefined;
  readonly event_type?: string | undefined;
}

/**
 * Webhooks (`engine.webhooks`): subscriptions to the outbox's domain events, and their signed,
 * retried, logged deliveries. Admin only. See the README's Webhooks section for the delivery
 * format, the signature, the retry rule and the guarantees.
 */
export class WebhookService {
  private readonly options: ResolvedWebhookOptions;
  private readonly deps: AttemptDeps;
  /** Deliveries being attempted in this process, so overlapping passes never send one twice at once. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly context: EngineContext,
    options: WebhookOptions | undefined,
    private readonly resolveAll: ResolveAll = systemResolveAll,
  ) {
    this.options = resolveWebhookOptions(options);
    const agentOptions = { keepAlive: true, maxSockets: concurrency, timeout: this.options.timeoutMs };
    const agents = { http: new Agent(agentOptions), https: new HttpsAgent(agentOptions) };
    context.onClose(async () => {
      agents.http.destroy();
      agents.https.destroy();
    });
    this.deps = {
      agents,
      failing: new Set(),
      context,
      options: this.options,
      allowed: allowSet(this.options.allowHosts),
      resolveAll,
      draw: mulberry32(this.options.jitterSeed),
    };
  }

  /** One page of subscriptions (never their secrets): filters `is_active`, `event_type`; ordering `created_at`, `url`. */
  async list(request: ListRequest<WebhookListFilters> = {}): Promise<Page<WebhookRecord>> {
    const filters = { ...(request.filters ?? {}) } as Record<string, unknown>;
    const flag = filters['is_active'];
    if (flag !== undefined) {
      if (![true, false, 'true', 'false'].includes(flag as never)) {
        throw new EngineError('VALIDATION_ERROR', 'is_active must be true or false', {
          parameter: 'is_active',
        });
      }
      filters['is_active'] = flag === true || flag === 'true';
    }
    return listPage(this.context.db, webhookListSpec, { ...request, filters }, toWebhookRecord);
  }

  /** @throws EngineError NOT_FOUND for an unknown or malformed id. */
  async get(id: string): Promise<WebhookRecord> {
    if (!uuidPattern.test(id)) throw notFound('webhook', id);
    const row = await this.context.db.one(`SELECT ${webhookSelect} FROM webhooks WHERE id = $id::UUID`, {
      id,
    });
    if (!row) throw notFound('webhook', id);
    return toWebhookRecord(row);
  }

  /**
   * Subscribes `input.url` to `input.event_types` and issues its secret (shown only here and at
   * rotation). It receives the events appended from now on.
   *
   * @throws EngineError VALIDATION_ERROR (unknown field, bad event type or filter, a URL that is not
   *   http(s), carries credentials or resolves to a refused address); nothing is stored.
   */
  async create(input: WebhookInput, actor: { by?: string | null } = {}): Promise<WebhookWithSecret> {
    const parsed = parseInput(webhookInputSchema, input, 'webhook');
    await checkWebhookUrl(parsed.url, this.deps.allowed, this.resolveAll);
    const by = actor.by ?? null;
    const id = crypto.randomUUID();
    const secret = newSecret();
    const now = this.context.now();
    await this.context.db.run(
      `INSERT INTO webhooks (id, url, event_types, secret, is_active, last_delivered_seq, created_by, created_at,
         description, filters, disabled_reason, consecutive_failures, previous_secret, previous_secret_expires_at, updated_at)
       VALUES ($id::UUID, $url, $types, $secret, $active, (SELECT coalesce(max(seq), 0) FROM events),
         TRY_CAST($by AS UUID), $now, $description, $filters::JSON, NULL, 0, NULL, NULL, $now)`,
      {
        id,
        url: parsed.url,
        types: parsed.event_types,
        secret,
        active: parsed.is_active ?? true,
        by,
        now,
        description: parsed.description ?? '',
        filters: JSON.stringify(parsed.filters ?? {}),
      },
    );
    return { ...(await this.get(id)), secret };
  }

  /**
   * Replaces every field, as a PUT does: `url` and `event_types` are required, and a field left out
   * takes its default (`description` empty, active, no filters).
   *
   * @throws EngineError NOT_FOUND; VALIDATION_ERROR as {@link create}; nothing is changed.
   */
  async replace(id: string, input: WebhookInput): Promise<WebhookRecord> {
    parseInput(webhookInputSchema, input, 'webhook'); // a whole subscription, not a patch
    return this.update(id, { description: '', is_active: true, filters: {}, ...input });
  }

  /**
   * Changes some fields; a new URL is checked again. `is_active: true` re-enables a disabled
   * subscription (clearing its reason and failure count); `is_active: false` disables it by hand.
   *
   * @throws EngineError NOT_FOUND; VALIDATION_ERROR as {@link create}; nothing is changed.
   */
  async update(id: string, patch: Partial<WebhookInput>): Promise<WebhookRecord> {
    const current = await this.get(id);
    const parsed = parseInput(webhookPatchSchema, patch, 'webhook');
    if (parsed.url !== undefined) await checkWebhookUrl(parsed.url, this.deps.allowed, this.resolveAll);
    const active = parsed.is_active ?? current.is_active;
    const reenabled = parsed.is_active === true && !current.is_active;
    const reason = active
      ? null
      : parsed.is_active === false && current.is_active
        ? 'disabled by hand'
        : current.disabled_reason;
    await this.context.db.run(
      `UPDATE webhooks SET url = $url, event_types = $types, description = $description, filters = $filters::JSON,
         is_active = $active, disabled_reason = $reason,
         consecutive_failures = CASE WHEN $reenabled THEN 0 ELSE consecutive_failures END, updated_at = $now
       WHERE id = $id::UUID`,
      {
        id,
        url: parsed.url ?? current.url,
        types: parsed.event_types ?? current.event_types,
        description: parsed.description ?? current.description,
        filters: JSON.stringify(parsed.filters ?? current.filters),
        active,
        reason,
        reenabled,
        now: this.context.now(),
      },
    );
    return this.get(id);
  }

  /** Deletes a subscription and its delivery log. @throws EngineError NOT_FOUND. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.context.db.transaction(async (tx) => {
      await tx.run('DELETE FROM webhook_deliveries WHERE webhook_id = $id::UUID', { id });
      await tx.run('DELETE FROM webhooks WHERE id = $id::UUID', { id });
    });
  }

  /**
   * Issues a new secret (shown only in the answer); the old one keeps signing beside it until
   * `previous_secret_expires_at` (now + `secretGraceMs`), so receivers can switch without a gap.
   *
   * @throws EngineError NOT_FOUND.
   */
  async rotateSecret(id: string): Promise<WebhookWithSecret> {
    await this.get(id);
    const secret = newSecret();
    const now = this.context.now();
    await this.context.db.run(
      `UPDATE webhooks SET previous_secret = secret, secret = $secret, previous_secret_expires_at = $until,
         updated_at = $now WHERE id = $id::UUID`,
      { id, secret, now, until: new Date(now.getTime() + this.options.secretGraceMs) },
    );
    return { ...(await this.get(id)), secret };
  }

  /** A subscription's deliveries, newest first; filter `status`. @throws EngineError NOT_FOUND, VALIDATION_ERROR. */
  async deliveries(
    id: string,
    request: ListRequest<{ status?: string | undefined }> = {},
  ): Promise<Page<DeliveryRecord>> {
    await this.get(id);
    const status = request.filters?.status;
    if (status !== undefined && !['PENDING', 'RETRYING', 'SUCCEEDED', 'DEAD'].includes(status)) {
      throw new EngineError('VALIDATION_ERROR', 'status must be one of PENDING, RETRYING, SUCCEEDED, DEAD', {
        parameter: 'status',
      });
    }
    // The id has been checked as a UUID and found: safe to fix in the spec's condition.
    const spec = { ...deliveryListSpec, where: `webhook_id = '${id}'::UUID` };
    return listPage(this.context.db, spec, request, toDeliveryRecord);
  }

  private async delivery(id: string, deliveryId: string): Promise<DeliveryRecord> {
    if (!uuidPattern.test(deliveryId)) throw notFound('delivery', deliveryId);
    const row = await this.context.db.one(
      `SELECT ${deliverySelect} FROM webhook_deliveries WHERE id = $d::UUID AND webhook_id = $id::UUID`,
      { id, d: deliveryId },
    );
    if (!row) throw notFound('delivery', deliveryId);
    return toDeliveryRecord(row);
  }

  /**
   * Retries a DEAD or RETRYING delivery by hand: it becomes PENDING, due now, and is attempted at
   * once (one attempt; a failure follows the usual rule, so a dead letter past its horizon is dead
   * again). Returns the delivery after that attempt.
   *
   * @throws EngineError NOT_FOUND; CONFLICT for a delivery that SUCCEEDED or is PENDING.
   */
  async retryDelivery(id: string, deliveryId: string): Promise<DeliveryRecord> {
    await this.get(id);
    const current = await this.delivery(id, deliveryId);
    if (current.status === 'SUCCEEDED' || current.status === 'PENDING') {
      throw new EngineError('CONFLICT', `delivery ${deliveryId} is ${current.status}: nothing to retry`, {
        id: deliveryId,
        status: current.status,
      });
    }
    await this.context.db.run(
      "UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = $now WHERE id = $d::UUID",
      { d: deliveryId, now: this.context.now() },
    );
    await this.attemptOne(deliveryId);
    return this.delivery(id, deliveryId);
  }

  /**
   * Sends a WEBHOOK_TEST event to this subscription now (active or not), recorded like any
   * delivery (a failure is retried by later passes while the subscription is active).
   *
   * @throws EngineError NOT_FOUND.
   */
  async sendTest(id: string): Promise<DeliveryRecord> {
    await this.get(id);
    const now = this.context.now();
    const eventId = crypto.randomUUID();
    const deliveryId = crypto.randomUUID();
    const body = JSON.stringify({
      id: eventId,
      type: 'WEBHOOK_TEST',
      created_at: now.toISOString(),
      data: { webhook_id: id, message: 'A test event: this subscription is reachable and signed.' },
    });
    await this.context.db.run(
      `INSERT INTO webhook_deliveries (id, seq, webhook_id, event_id, event_seq, event_type, status, body, attempts,
         attempt_count, first_attempt_at, next_attempt_at, created_at, delivered_at)
       VALUES ($d::UUID, nextval('webhook_deliveries_seq'), $id::UUID, $event::UUID, NULL, 'WEBHOOK_TEST', 'PENDING',
         $body, '[]', 0, NULL, $now, $now, NULL)`,
      { d: deliveryId, id, event: eventId, body, now },
    );
    await this.attemptOne(deliveryId);
    return this.delivery(id, deliveryId);
  }

  private async attemptOne(deliveryId: string): Promise<AttemptResult | undefined> {
    if (this.inFlight.has(deliveryId)) return undefined;
    this.inFlight.add(deliveryId);
    try {
      const row = await this.context.db.one(`${dueSelect} WHERE d.id = $d::UUID AND d.status = 'PENDING'`, {
        d: deliveryId,
      });
      return row ? await attemptDelivery(this.deps, row) : undefined;
    } finally {
      this.inFlight.delete(deliveryId);
    }
  }

  /**
   * One delivery pass: fans the new outbox events out into deliveries (at most `limit` events,
   * default 1,000), then attempts every due delivery (at most `limit`), 8 at a time.
   */
  deliver(
    options: { signal?: AbortSignal; onProgress?: (message: string) => void; limit?: number } = {},
  ): Promise<DeliveryPassResult> {
    return runDeliveryPass(this.deps, this.inFlight, concurrency, options);
  }

  /** Whether a pass has anything to do: new events an active subscription could receive, or deliveries due now. Cheap. */
  hasWork(): Promise<boolean> {
    return hasDeliveryWork(this.context);
  }
}
