import { Command } from 'commander';
import { registerAnalyzeRecurrence } from './commands/analyze-recurrence.ts';
import { registerCalculateCosts } from './commands/calculate-costs.ts';
import { registerCalculateKpis } from './commands/calculate-kpis.ts';
import { registerCleanup } from './commands/cleanup.ts';
import { registerDeliverWebhooks } from './commands/deliver-webhooks.ts';
import { registerDemo } from './commands/demo.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerModels } from './commands/models.ts';
import { registerRefreshHeatmaps } from './commands/refresh-heatmaps.ts';
import { registerReport } from './commands/report.ts';
import { registerRunAnomalyDetection } from './commands/run-anomaly-detection.ts';
import { registerServe } from './commands/serve.ts';
import { registerTokens } from './commands/tokens.ts';
import { registerTrainPredictiveModels } from './commands/train-predictive-models.ts';
import { registerUsers } from './commands/users.ts';
import { printable } from './format.ts';

/**
 * Builds the `insights` program. Each command lives in `commands/` and registers itself here;
 * commands parse their options, call the engine, and print. A usage error (unknown command or
 * option, missing argument) prints one line on stderr, `insights: <what> (see insights ... --help)`,
 * instead of the whole help.
 */
export function buildProgram(): Command {
  const program = new Command('insights')
    .description('Incident analytics and predictive insights')
    .option('--db <path>', 'DuckDB database file (env INSIGHTS_DB; default ./data/insights.duckdb)')
    .exitOverride();
  registerDemo(program);
  registerIngest(program);
  registerServe(program);
  registerUsers(program);
  registerTokens(program);
  registerRunAnomalyDetection(program);
  registerAnalyzeRecurrence(program);
  registerCalculateKpis(program);
  registerCalculateCosts(program);
  registerTrainPredictiveModels(program);
  registerModels(program);
  registerCleanup(program);
  registerRefreshHeatmaps(program);
  registerReport(program);
  registerDeliverWebhooks(program);
  oneLineUsageErrors(program);
  return program;
}

/** Makes `command` and every subcommand print a usage error as one escaped line. */
function oneLineUsageErrors(command: Command): void {
  command.showHelpAfterError(false).configureOutput({
    outputError: (text, write) => write(`${usageErrorLine(text, commandPath(command))}\n`),
  });
  for (const sub of command.commands) oneLineUsageErrors(sub);
}

/**
 * `error: unknown command 'x'\n(Did you mean y?)` from commander, as `insights: unknown command 'x'
 * (Did you mean y?) (see insights --help)`, control characters of the input escaped.
 */
function usageErrorLine(text: string, path: string): string {
  const what = text
    .trim()
    .replace(/^error:\s*/, '')
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  return `insights: ${printable(what)} (see ${path} --help)`;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
