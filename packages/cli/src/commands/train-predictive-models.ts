import type { JsonValue } from '@incident-insights/engine';
import { EngineError } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import { runJobCommand, withBackend } from '../deferred.ts';
import { exitCodes } from '../exit-codes.ts';
import { printable, printJson, renderTable } from '../format.ts';

interface Options {
  modelId?: string;
  force?: boolean;
  json?: boolean;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The four scores of the spec's model record. */
const scoreNames = ['accuracy_score', 'precision_score', 'recall_score', 'f1_score'] as const;
type ScoreName = (typeof scoreNames)[number];

/** How one model's training ended, as the `train_predictive_models` job reports it. */
interface TrainingOutcome {
  readonly model_id: string;
  readonly name: string;
  readonly model_type: string;
  readonly algorithm_type: string;
  readonly status: string;
  readonly version: string;
  readonly samples: number;
  readonly duration_seconds: number;
  readonly scores: Readonly<Record<ScoreName, number | null>>;
  readonly baseline: Readonly<Record<string, number | null>>;
  readonly beats_baseline: boolean | null;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * `insights train-predictive-models [--model-id ID] [--force] [--json]`: the spec's
 * `train_predictive_models` command, as a job (beside a running server, sent to it). Without a
 * model id it trains every model due (never trained, auto-retrain due, live accuracy below its
 * threshold); `--force` trains every model that is not a system model (or the one named, due or
 * not). Shows the progress per model, then a table of each model's scores with its naive
 * baseline's beside them, and whether it beats the baseline. Exits non-zero when a model ended
 * in ERROR, after one line on stderr per such model saying why.
 */
export function registerTrainPredictiveModels(program: Command): void {
  program
    .command('train-predictive-models')
    .description('Train the predictive models that are due (or one, or all with --force)')
    .option('--model-id <id>', 'only this model (default: every model that is due)')
    .option('--force', 'train even when not due (without --model-id: every non-system model)')
    .option('--json', 'print the outcome of each model as JSON')
    .action(async (options: Options, command: Command) => {
      if (options.modelId !== undefined && !uuid.test(options.modelId)) {
        throw new EngineError(
          'VALIDATION_ERROR',
          `--model-id must be a model id (a UUID), not ${options.modelId}`,
          {
            field: '--model-id',
            value: options.modelId,
          },
        );
      }
      const outcomes = await withBackend(command, async (backend) => {
        const result = await runJobCommand(backend, {
          label: 'train-predictive-models',
          kind: 'train_predictive_models',
          parameters: {
            ...(options.modelId === undefined ? {} : { model_id: options.modelId }),
            ...(options.force ? { force: true } : {}),
          },
          json: options.json ?? false,
        });
        return outcomesOf(result);
      });
      if (options.json) printJson(outcomes);
      else process.stdout.write(`${renderOutcomes(outcomes)}\n`);
      const failed = outcomes.filter((o) => o.error !== undefined || o.status === 'ERROR');
      for (const outcome of failed) {
        const reason = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : 'no reason given';
        const kept = outcome.version !== '0' ? ` (version ${outcome.version} still serves)` : '';
        process.stderr.write(
          `insights: model ${printable(outcome.name)} (${outcome.model_id}) failed to train${kept}: ${printable(reason)}\n`,
        );
      }
      const code = failed[0]?.error?.code;
      if (failed.length > 0) process.exitCode = (code !== undefined && exitCodeOf(code)) || 1;
    });
}

/** The exit code of an engine error code given as text (1 for one the CLI does not know). */
function exitCodeOf(code: string): number {
  return Object.hasOwn(exitCodes, code) ? exitCodes[code as keyof typeof exitCodes] : 1;
}

/** The outcomes of the job's result: `{ outcomes: [...] }`. */
function outcomesOf(result: JsonValue): TrainingOutcome[] {
  const outcomes = (result as { outcomes?: unknown } | null)?.outcomes;
  return Array.isArray(outcomes) ? (outcomes as TrainingOutcome[]) : [];
}

/** A score with its baseline's beside it: `0.871 (0.553)`; `-` for a score the task has not. */
function withBaseline(outcome: TrainingOutcome, name: ScoreName): string {
  const value = outcome.scores[name];
  const base = outcome.baseline[name];
  if (value === null || value === undefined) return '-';
  return `${value.toFixed(3)} (${base === null || base === undefined ? '-' : base.toFixed(3)})`;
}

function renderOutcomes(outcomes: readonly TrainingOutcome[]): string {
  const trained = outcomes.filter((o) => o.status !== 'ERROR' && o.error === undefined).length;
  const head =
    outcomes.length === 0
      ? 'No model is due for training (--force trains every model).'
      : `Trained ${trained} of ${outcomes.length} model${outcomes.length === 1 ? '' : 's'}; ` +
        'each score is followed by its naive baseline in parentheses.';
  if (outcomes.length === 0) return head;
  const table = renderTable(outcomes, [
    { header: 'model', value: (o) => o.name },
    { header: 'type', value: (o) => o.model_type },
    { header: 'algorithm', value: (o) => o.algorithm_type },
    { header: 'status', value: (o) => o.status },
    { header: 'version', value: (o) => o.version, right: true },
    { header: 'samples', value: (o) => o.samples, right: true },
    { header: 'accuracy (baseline)', value: (o) => withBaseline(o, 'accuracy_score'), right: true },
    { header: 'precision (baseline)', value: (o) => withBaseline(o, 'precision_score'), right: true },
    { header: 'recall (baseline)', value: (o) => withBaseline(o, 'recall_score'), right: true },
    { header: 'f1 (baseline)', value: (o) => withBaseline(o, 'f1_score'), right: true },
    {
      header: 'beats baseline',
      value: (o) => (o.beats_baseline === null ? '-' : o.beats_baseline ? 'yes' : 'no'),
    },
    { header: 'seconds', value: (o) => o.duration_seconds, right: true },
  ]);
  return `${head}\n\n${table}`;
}
