import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client's default gauges that repeat the sum of a labelled gauge beside them
 * (`nodejs_active_handles_total` is `sum(nodejs_active_handles)`) under a `_total` name that
 * Prometheus reserves for counters: `promtool check metrics` refuses them.
 */
const redundantTotals = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

let processRegistry: Registry | undefined;

/**
 * The process's own metrics, prom-client's defaults under their standard names: CPU seconds,
 * resident and heap memory, open file descriptors, event-loop lag, garbage-collection pauses,
 * active handles and requests by type, the Node.js version. They describe the process, not an app,
 * so one registry per process collects them (started with the first app, which is when the
 * garbage-collection observer and the event-loop monitor begin), and every app's `/metrics`
 * shows them beside its own.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    for (const name of redundantTotals) registry.removeSingleMetric(name);
    processRegistry = registry;
  }
  return processRegistry;
}
