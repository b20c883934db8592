/**
 * The tabular library's worker tasks, for the models capability's `tasks`: training and
 * prediction run whole on a worker thread, and a forest's parts run one per thread.
 */

import { type TreeModel, trainForest } from '../kernels/trees/index.ts';
import { predict, trainModel } from './learn.ts';
import { forestPartTaskName, predictTaskName, trainModelTaskName } from './task-names.ts';
import type { ForestPartPayload } from './trees.ts';
import type { TabularPrediction, TabularRow, TrainedModel, TrainSpec } from './types.ts';

export { forestPartTaskName, predictTaskName, trainModelTaskName };

/** Worker task: `trainModel(rows, spec)` in the worker's thread. */
export function trainModelTask(payload: {
  rows: readonly TabularRow[];
  spec: TrainSpec;
  intervals?: boolean;
}): Promise<TrainedModel> {
  return trainModel(payload.rows, payload.spec, { intervals: payload.intervals !== false });
}

/** Worker task: `predict(model, rows)` in the worker's thread. */
export function predictTask(payload: {
  model: TrainedModel;
  rows: readonly TabularRow[];
}): Promise<TabularPrediction[]> {
  return predict(payload.model, payload.rows);
}

/** Worker task: part of a forest (`trainForest` with `firstTree`). */
export function forestPartTask(payload: ForestPartPayload): TreeModel {
  return trainForest(payload.data, payload.options);
}

/** The tasks by name, ready to spread into a capability module's `tasks`. */
export const learnTasks = {
  [trainModelTaskName]: trainModelTask,
  [predictTaskName]: predictTask,
  [forestPartTaskName]: forestPartTask,
} as const;
