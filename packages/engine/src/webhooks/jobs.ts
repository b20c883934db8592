import { z } from 'zod';
import { toJsonValue } from '../jobs/job-errors.ts';
import { defineJobKind, serviceOf, throwIfAborted } from '../jobs/job-kind-helpers.ts';
import type { WebhookService } from './webhook-service.ts';

/**
 * `deliver_webhooks`: one delivery pass (new outbox events fanned out into deliveries, every due
 * delivery attempted). No parameters; one scope, so two requests share one run. The server drains
 * continuously by polling `hasWork`; `insights deliver-webhooks` runs it for batch use. Result:
 * `{ events_read, deliveries_created, attempted, succeeded, retrying, dead_lettered, disabled }`.
 * Runs in the express lane, so a delivery never waits for a long analysis to finish.
 */
export const deliverWebhooksJob = defineJobKind({
  kind: 'deliver_webhooks',
  description: 'Deliver new domain events to webhook subscriptions and retry due deliveries.',
  parameters: z.object({}).strict(),
  action: 'webhooks.manage',
  scope: () => 'all',
  onInterrupted: 'requeue',
  lane: 'express',
  run: async (context) => {
    const webhooks = serviceOf<WebhookService>(context, 'webhooks');
    throwIfAborted(context);
    context.progress({ done: 0, total: 1, message: 'delivering webhooks' });
    const r = await webhooks.deliver({
      signal: context.signal,
      onProgress: (message) => context.progress({ done: 0, total: 1, message }),
    });
    context.progress({ done: 1, total: 1, message: `${r.succeeded} of ${r.attempted} deliveries succeeded` });
    return toJsonValue({
      events_read: r.eventsRead,
      deliveries_created: r.deliveriesCreated,
      attempted: r.attempted,
      succeeded: r.succeeded,
      retrying: r.retrying,
      dead_lettered: r.deadLettered,
      disabled: r.disabled,
    });
  },
});
