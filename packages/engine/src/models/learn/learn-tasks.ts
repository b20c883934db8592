/**
 * The tabular library's worker tasks, for the models capability's `tasks`: training and
 * prediction run whole on a worker thread, and a forest's parts run one per thread.
 */

import { type TreeModel, trainBoosted, trainForest } from '../kernels/trees/index.ts';
import { runHistogramHelper, type SharedHistogramMemory } from '../kernels/trees/shared-histograms.ts';
import { predict, trainModel } from './learn.ts';
import { forestPartTaskName, predictTaskName, trainModelTaskName } from './task-names.ts';
import {
  type BoostedPayload,
  boostedTaskName,
  type ForestPartPayload,
  histogramHelperTaskName,
} from './trees.ts';
import type { TabularPrediction, TabularRow, TrainedModel, TrainSpec } from './types.ts';

/** Worker task: `trainModel(rows, spec)` in the worker's thread. */
function trainModelTask(payload: {
  rows: readonly TabularRow[];
  spec: TrainSpec;
  intervals?: boolean;
}): Promise<TrainedModel> {
  return trainModel(payload.rows, payload.spec, { intervals: payload.intervals !== false });
}

/** Worker task: `predict(model, rows)` in the worker's thread. */
function predictTask(payload: {
  model: TrainedModel;
  rows: readonly TabularRow[];
}): Promise<TabularPrediction[]> {
  return predict(payload.model, payload.rows);
}

/** Worker task: part of a forest (`trainForest` with `firstTree`). */
function forestPartTask(payload: ForestPartPayload): TreeModel {
  return trainForest(payload.data, payload.options);
}

/** Worker task: a boosted ensemble grown with a helper thread (see `boostOn`). */
export function boostedTask(payload: BoostedPayload): TreeModel {
  return trainBoosted(payload.data, payload.options, payload.shared);
}

/** Worker task: serves a boosting's histograms until it stops; returns the hand-offs served. */
export function histogramHelperTask(payload: { shared: SharedHistogramMemory }): number {
  return runHistogramHelper(payload.shared);
}

/** The tasks by name, ready to spread into a capability module's `tasks`. */
export const learnTasks = {
  [trainModelTaskName]: trainModelTask,
  [predictTaskName]: predictTask,
  [forestPartTaskName]: forestPartTask,
  [boostedTaskName]: boostedTask,
  [histogramHelperTaskName]: histogramHelperTask,
} as const;
