import type { Engine } from '@incident-insights/engine';

/** Options of {@link startWebhookDrain}. */
export interface WebhookDrainOptions {
  /** How often to look for work, ms. Default 1,000. */
  readonly intervalMs?: number;
  /** Told of a failed look or submission (the drain goes on at the next tick). */
  readonly onError?: (error: unknown) => void;
}

/** A running drain; {@link WebhookDrain.stop} ends it. */
export interface WebhookDrain {
  /** Stops looking and waits for the look in progress, if any. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Keeps webhook deliveries flowing while a server runs: every `intervalMs`, when
 * `engine.webhooks.hasWork()` says events or deliveries are due, it queues a `deliver_webhooks`
 * job through the jobs service, which the server's job runner runs. The job's scope is the same
 * every time, so a job already queued or running is joined, never doubled.
 */
export function startWebhookDrain(engine: Engine, options: WebhookDrainOptions = {}): WebhookDrain {
  let looking: Promise<void> | undefined;
  let stopped = false;
  const look = async () => {
    try {
      if (await engine.webhooks.hasWork()) {
        await engine.jobs.submit({ kind: 'deliver_webhooks', parameters: {} });
      }
    } catch (error) {
      if (!stopped) options.onError?.(error);
    }
  };
  const timer = setInterval(() => {
    if (stopped || looking) return;
    looking = look().finally(() => {
      looking = undefined;
    });
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await looking;
    },
  };
}
