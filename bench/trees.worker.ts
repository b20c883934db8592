/**
 * Worker entry of the tree benchmark: the engine's tasks plus `bench.forest-part`, which trains
 * trees `firstTree …` of a forest (see `ForestOptions.firstTree`), so that a forest can be split
 * over the pool and joined with `mergeForests`.
 */
import {
  type ForestOptions,
  type TreeTrainingData,
  trainForest,
} from '../packages/engine/src/models/kernels/trees/index.ts';
import { createDispatcher } from '../packages/engine/src/workers/dispatch.ts';
import { tasks } from '../packages/engine/src/workers/tasks.ts';

export default createDispatcher({
  ...tasks,
  'bench.forest-part': (payload: unknown) => {
    const { data, options } = payload as { data: TreeTrainingData; options: ForestOptions };
    return trainForest(data, options);
  },
});
