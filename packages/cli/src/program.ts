import { Command } from 'commander';
import { registerAnalyzeRecurrence } from './commands/analyze-recurrence.ts';
import { registerCalculateKpis } from './commands/calculate-kpis.ts';
import { registerDemo } from './commands/demo.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerRunAnomalyDetection } from './commands/run-anomaly-detection.ts';
import { registerServe } from './commands/serve.ts';
import { registerTokens } from './commands/tokens.ts';
import { registerUsers } from './commands/users.ts';

/**
 * Builds the `insights` program. Each command lives in `commands/` and registers itself here;
 * commands parse their options, call the engine, and print.
 */
export function buildProgram(): Command {
  const program = new Command('insights')
    .description('Incident analytics and predictive insights')
    .option('--db <path>', 'DuckDB database file (env INSIGHTS_DB; default ./data/insights.duckdb)')
    .showHelpAfterError()
    .exitOverride();
  registerDemo(program);
  registerIngest(program);
  registerServe(program);
  registerUsers(program);
  registerTokens(program);
  registerRunAnomalyDetection(program);
  registerAnalyzeRecurrence(program);
  registerCalculateKpis(program);
  return program;
}
