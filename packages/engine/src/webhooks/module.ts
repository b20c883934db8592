import { defineCapability } from '../capability.ts';
import { deliverWebhooksJob } from './jobs.ts';
import { webhooksMigration } from './migrations.ts';
import { resolveWebhookOptions } from './webhook-input.ts';
import type { WebhookService } from './webhook-service.ts';
import type { WebhookOptions } from './webhook-types.ts';

/**
 * Webhooks (`engine.webhooks`): subscriptions to the outbox's domain events and their signed,
 * retried, logged deliveries. Job kind `deliver_webhooks`.
 */
export const webhooksModule = defineCapability<'webhooks', WebhookService, WebhookOptions>({
  name: 'webhooks',
  migrations: [webhooksMigration],
  jobKinds: [deliverWebhooksJob],
  checkOptions: (options) => {
    resolveWebhookOptions(options);
  },
  createService: async (context, options): Promise<WebhookService> => {
    const { WebhookService } = await import('./webhook-service.ts');
    return new WebhookService(context, options);
  },
});
