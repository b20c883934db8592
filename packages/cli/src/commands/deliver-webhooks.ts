import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { printJson } from '../format.ts';

interface Options {
  json?: boolean;
}

/** The result of a `deliver_webhooks` job: what one delivery pass did. */
interface DeliverWebhooksResult {
  readonly events_read: number;
  readonly deliveries_created: number;
  readonly attempted: number;
  readonly succeeded: number;
  readonly retrying: number;
  readonly dead_lettered: number;
  readonly disabled: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * `insights deliver-webhooks [--json]`: one delivery pass as a `deliver_webhooks` job: reads the
 * events recorded since the last pass, creates a delivery for each matching active subscription,
 * and sends every delivery that is due (new ones and retries whose pause is over). Beside a running
 * server (which also drains deliveries every second by itself) the job runs there. Hosts on private
 * or loopback addresses need `INSIGHTS_WEBHOOK_ALLOW` when the command opens the database itself.
 */
export function registerDeliverWebhooks(program: Command): void {
  program
    .command('deliver-webhooks')
    .description('Send the webhook deliveries that are due (new events and retries), once')
    .option('--json', 'print the counts as JSON')
    .action(async (options: Options, command: Command) => {
      const result = (await withBackend(command, (backend) =>
        runJobCommand(backend, {
          label: 'deliver-webhooks',
          kind: 'deliver_webhooks',
          parameters: {},
          json: options.json ?? false,
        }),
      )) as unknown as DeliverWebhooksResult;
      const counts = {
        events_read: result.events_read,
        deliveries_created: result.deliveries_created,
        attempted: result.attempted,
        succeeded: result.succeeded,
        retrying: result.retrying,
        dead_lettered: result.dead_lettered,
        disabled: result.disabled,
      };
      if (options.json) {
        printJson(counts);
        return;
      }
      process.stdout.write(
        `Webhooks: ${plural(counts.events_read, 'new event')}, ${plural(counts.deliveries_created, 'delivery', 'deliveries')} created; ` +
          `${counts.attempted} attempted, ${counts.succeeded} succeeded, ${counts.retrying} to retry, ` +
          `${counts.dead_lettered} dead-lettered; ${plural(counts.disabled, 'subscription')} disabled.\n`,
      );
    });
}
