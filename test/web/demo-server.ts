import type { Engine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import {
  demoCostModel,
  demoServiceTier,
  executiveDashboard,
} from '../../packages/cli/src/backend/demo-setup.ts';
import { startServer, type TestServer } from '../support/test-server.ts';

/**
 * The engine's clock for the browser tests: Monday 1 June 2026, 00:00 UTC, fixed for the whole run,
 * so that the data always meets the same weekdays and hours. The session cookie carries its length
 * (Max-Age), which the browser counts on its own clock, so the server's date may differ from it.
 */
const pinnedNow = new Date('2026-06-01T00:00:00Z');

/** Session length of the test server: eight days. */
export const sessionSeconds = 8 * 86_400;

/** The analyses `insights serve --analyze` runs, in the order it runs them, as jobs of the engine. */
const analyses: readonly { kind: string; parameters?: Record<string, unknown> }[] = [
  { kind: 'calculate_kpis' },
  { kind: 'run_anomaly_detection', parameters: { time_window: 720 } },
  { kind: 'analyze_recurrence' },
  { kind: 'calculate_costs' },
  { kind: 'train_predictive_models' },
  { kind: 'score_incidents' },
  { kind: 'generate_insights' },
  { kind: 'refresh_heatmaps' },
];

/**
 * A small demo, as `insights demo --incidents 1500 --days 30 --seed 4` and the server's analyses
 * make it but in about ten seconds: seeded synthetic incidents, a cost model, two small predictive
 * models, the spec's executive dashboard, and every analysis run once as a job.
 */
async function populate(engine: Engine): Promise<void> {
  await loadSyntheticIncidents(engine, { seed: 4, count: 1500, days: 30, end: engine.now() });
  await engine.costs.setServiceTier(demoServiceTier);
  await engine.costs.createModel(demoCostModel);
  await engine.models.create({
    name: 'Demo severity predictor',
    model_type: 'SEVERITY_PREDICTION',
    algorithm_type: 'RANDOM_FOREST',
    model_config: { n_estimators: 10, max_depth: 4 },
  });
  await engine.models.create({
    name: 'Demo incident forecast',
    model_type: 'INCIDENT_PREDICTION',
    algorithm_type: 'PROPHET',
    model_config: { granularity: 'day' },
  });
  await engine.dashboards.create(executiveDashboard);
  for (const analysis of analyses) {
    const job = await engine.jobs.run(analysis);
    if (job.status !== 'SUCCEEDED')
      throw new Error(`${analysis.kind} ended ${job.status}: ${JSON.stringify(job.error)}`);
  }
}

/** A test server on the small demo, its clock movable (`clock.now`), sessions {@link sessionSeconds} long. */
export interface DemoServer {
  readonly server: TestServer;
  readonly clock: { now: Date };
}

/** Starts the real server (it serves the built page at `/`) on the small demo. */
export async function startDemoServer(): Promise<DemoServer> {
  const clock = { now: pinnedNow };
  const server = await startServer({
    engine: { now: () => clock.now },
    app: { sessionTtlSeconds: sessionSeconds },
    populate,
  });
  const home = await (await server.fetch('/')).text();
  if (!home.includes('/assets/')) {
    await server.close();
    await server.engine.close();
    throw new Error('The web page is not built: run `npm run build -w packages/web` first.');
  }
  return { server, clock };
}
