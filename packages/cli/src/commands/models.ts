import type { ModelPrediction, PredictiveModelRecord } from '@incident-insights/engine';
import { EngineError, modelStatuses, modelTypes } from '@incident-insights/engine/vocabulary';
import type { Command } from 'commander';
import type { Backend } from '../backend/backend.ts';
import { withBackend } from '../deferred.ts';
import { printJson, renderTable } from '../format.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `value` when it is one of `allowed`. @throws EngineError VALIDATION_ERROR naming the option. */
function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new EngineError('VALIDATION_ERROR', `${option} must be one of ${allowed.join(', ')}, not ${value}`, {
    field: option,
    value,
  });
}

/** `value` when it is a UUID. @throws EngineError VALIDATION_ERROR naming the option. */
function modelIdOf(option: string, value: string): string {
  if (uuid.test(value)) return value;
  throw new EngineError('VALIDATION_ERROR', `${option} must be an id (a UUID), not ${value}`, {
    field: option,
    value,
  });
}

/**
 * `insights models list [--model-type T] [--status S] [--json]` and `insights models predict <id>
 * (--incident-id ID ... | --horizon N [--group G]) [--json]`: the predictive models as the API's
 * `/predictive-models/` shows them, and a prediction of a model's serving version (create, change
 * and train them with the API, or with `train-predictive-models`).
 */
export function registerModels(program: Command): void {
  const models = program.command('models').description('List predictive models and predict with them');

  models
    .command('list')
    .description('List the predictive models, newest first')
    .option('--model-type <type>', `only this type: ${modelTypes.join(', ')}`)
    .option('--status <status>', `only this status: ${modelStatuses.join(', ')}`)
    .option('--json', 'print the models as JSON')
    .action(async (options: { modelType?: string; status?: string; json?: boolean }, command: Command) => {
      const filters = {
        ...(options.modelType === undefined
          ? {}
          : { model_type: oneOf('--model-type', options.modelType, modelTypes) }),
        ...(options.status === undefined ? {} : { status: oneOf('--status', options.status, modelStatuses) }),
      };
      const all = await withBackend(command, (backend) => listModels(backend, filters));
      if (options.json) {
        printJson(all);
        return;
      }
      if (all.length === 0) {
        process.stdout.write('No predictive model.\n');
        return;
      }
      process.stdout.write(
        `${renderTable(all, [
          { header: 'id', value: (m) => m.id },
          { header: 'name', value: (m) => m.name },
          { header: 'type', value: (m) => m.model_type },
          { header: 'algorithm', value: (m) => m.algorithm_type },
          { header: 'status', value: (m) => m.status },
          { header: 'version', value: (m) => m.version, right: true },
          { header: 'accuracy', value: (m) => m.accuracy_score, right: true },
          { header: 'f1', value: (m) => m.f1_score, right: true },
          { header: 'samples', value: (m) => m.training_samples_count, right: true },
          { header: 'last trained', value: (m) => m.last_trained_at },
        ])}\n`,
      );
    });

  models
    .command('predict <id>')
    .description("Predict with a model's serving version: stored incidents, or counts ahead")
    .option('--incident-id <id>', 'a stored incident (repeat for several)', collect, [] as string[])
    .option('--horizon <periods>', 'INCIDENT_PREDICTION: periods ahead (days or hours, as the model counts)')
    .option('--group <group>', 'INCIDENT_PREDICTION grouped by service, team or category: only this group')
    .option('--json', 'print the prediction as JSON')
    .action(
      async (
        id: string,
        options: { incidentId: string[]; horizon?: string; group?: string; json?: boolean },
        command: Command,
      ) => {
        const input = predictInput(options);
        const modelId = modelIdOf('<id>', id);
        const prediction = await withBackend(command, (backend) => predictWith(backend, modelId, input));
        if (options.json) printJson(prediction);
        else process.stdout.write(`${renderPrediction(prediction)}\n`);
      },
    );
}

type PredictInput = { incident_ids: string[] } | { horizon: number; group?: string };

function predictInput(options: { incidentId: string[]; horizon?: string; group?: string }): PredictInput {
  const byIncident = options.incidentId.length > 0;
  if (byIncident === (options.horizon !== undefined)) {
    throw new EngineError(
      'VALIDATION_ERROR',
      'give --incident-id (one or more) or --horizon, one of the two',
      {
        field: '--incident-id',
      },
    );
  }
  if (byIncident) return { incident_ids: options.incidentId.map((v) => modelIdOf('--incident-id', v)) };
  const text = (options.horizon ?? '').trim();
  const horizon = Number(text);
  if (!/^\d+$/.test(text) || horizon < 1 || horizon > 1000) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `--horizon must be a whole number from 1 to 1000, not ${options.horizon}`,
      {
        field: '--horizon',
        value: options.horizon,
      },
    );
  }
  return { horizon, ...(options.group === undefined ? {} : { group: options.group }) };
}

type ModelJson = Pick<
  PredictiveModelRecord,
  | 'id'
  | 'name'
  | 'model_type'
  | 'algorithm_type'
  | 'status'
  | 'version'
  | 'accuracy_score'
  | 'f1_score'
  | 'training_samples_count'
  | 'last_trained_at'
>;

async function listModels(backend: Backend, filters: Record<string, string>): Promise<ModelJson[]> {
  if (backend.kind === 'server')
    return backend.server.listAll<ModelJson>('/api/analytics/predictive-models/', filters);
  const all: ModelJson[] = [];
  for (let page = 1; ; page++) {
    const result = await backend.engine.models.list({ page, pageSize: 100, filters });
    all.push(...result.results);
    if (page * 100 >= result.count) return all;
  }
}

/**
 * The prediction of `id` on the engine or through the server; a model never trained is refused
 * the same way on both (CONFLICT, as the API's 409).
 */
async function predictWith(backend: Backend, id: string, input: PredictInput): Promise<ModelPrediction> {
  if (backend.kind === 'server') {
    return backend.server.request('POST', `/api/analytics/predictive-models/${id}/predict/`, { json: input });
  }
  const model = await backend.engine.models.get(id);
  if (model.version === '0') {
    throw new EngineError(
      'CONFLICT',
      `Predictive model ${id} has not been trained yet (status ${model.status})`,
      {
        id,
        status: model.status,
      },
    );
  }
  return backend.engine.models.predict(id, input);
}

function renderPrediction(prediction: ModelPrediction): string {
  const head = `${prediction.model_type} ${prediction.algorithm_type}, version ${prediction.version}`;
  if (prediction.forecasts) {
    const rows = prediction.forecasts.flatMap((f) =>
      f.timestamps.map((at, i) => ({
        group: f.group ?? 'all',
        at,
        mean: f.mean[i],
        lower: f.lower[i],
        upper: f.upper[i],
      })),
    );
    return `${head}\n\n${renderTable(rows, [
      { header: 'group', value: (r) => r.group },
      { header: 'period', value: (r) => r.at },
      { header: 'expected', value: (r) => r.mean, right: true },
      { header: 'lower', value: (r) => r.lower, right: true },
      { header: 'upper', value: (r) => r.upper, right: true },
    ])}`;
  }
  const rows = (prediction.predictions ?? []) as Record<string, unknown>[];
  return `${head}\n\n${renderTable(rows, [
    { header: 'incident', value: (r) => r['incident_id'] },
    { header: 'label', value: (r) => r['label'] },
    {
      header: 'probability',
      value: (r) => r['probability'] ?? topProbability(r['probabilities']),
      right: true,
    },
    { header: 'value', value: (r) => r['value'], right: true },
    { header: 'lower', value: (r) => r['lower'], right: true },
    { header: 'upper', value: (r) => r['upper'], right: true },
  ])}`;
}

/** The probability of the most likely class, from a label → probability map. */
function topProbability(probabilities: unknown): number | undefined {
  if (!probabilities || typeof probabilities !== 'object') return undefined;
  const values = Object.values(probabilities as Record<string, number>);
  return values.length > 0 ? Math.max(...values) : undefined;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
