import type { Engine } from '@incident-insights/engine';
import { printable } from './format.ts';

/** Options of {@link startAnalyses}. */
export interface StartupAnalysesOptions {
  /** Hours before now in which anomaly detection reports anomalies (default: the model's window). */
  readonly anomalyWindowHours?: number | undefined;
  /** Where progress lines go (default stderr). */
  readonly log?: (line: string) => void;
}

/** The analyses a server runs after it starts: their progress, and a way to stop between steps. */
export interface StartupAnalyses {
  /** Resolves when the analyses are over (finished, failed or stopped); never rejects. */
  readonly done: Promise<void>;
  /** Runs no further step; resolves once the step in progress (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs what `npm run analyze` runs — calculate-kpis, analyze-recurrence, run-anomaly-detection —
 * one after the other inside this process, through the engine's public API, while the server
 * already answers (DuckDB lets one process write the file, so they cannot run beside it in
 * another). Each step logs one line on start and one on its result; a failed step is logged and
 * the next one runs.
 */
export function startAnalyses(engine: Engine, options: StartupAnalysesOptions = {}): StartupAnalyses {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stopped = false;
  const steps: [string, () => Promise<string>][] = [
    [
      'calculate-kpis',
      async () => {
        const results = await engine.kpis.calculateAll({});
        const computed = results.filter((r) => r.computed).length;
        return `${computed} KPI measurements calculated, ${results.length - computed} already stored`;
      },
    ],
    [
      'analyze-recurrence',
      async () => {
        const r = await engine.recurrence.analyze({});
        return `${r.analyses.length} recurring patterns among ${r.incidentsScanned} incidents (${r.created} new, ${r.updated} updated)`;
      },
    ],
    [
      'run-anomaly-detection',
      async () => {
        const windowHours = options.anomalyWindowHours;
        const r = await engine.anomalies.run(windowHours === undefined ? {} : { windowHours });
        return `${r.anomaliesCreated} new anomalies in ${r.timeWindowStart.toISOString()} – ${r.timeWindowEnd.toISOString()}`;
      },
    ],
  ];
  const done = (async () => {
    const started = Date.now();
    log(
      'analysis: the server answers meanwhile; running calculate-kpis, analyze-recurrence, run-anomaly-detection',
    );
    for (const [name, step] of steps) {
      if (stopped) {
        log('analysis: stopped before the end (the server is shutting down)');
        return;
      }
      const stepStarted = Date.now();
      try {
        const outcome = await step();
        log(`analysis: ${name}: ${outcome} (${seconds(stepStarted)})`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`analysis: ${name} failed: ${printable(message)}`);
      }
    }
    log(`analysis: finished in ${seconds(started)}`);
  })();
  return {
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
