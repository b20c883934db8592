/**
 * Worker entry with only boosting's two tasks (no whole-model training task), so a test can tell
 * that `trainModel` trains XGBOOST through them.
 */
import { boostedTask, histogramHelperTask } from '../../src/models/learn/learn-tasks.ts';
import { boostedTaskName, histogramHelperTaskName } from '../../src/models/learn/trees.ts';
import { createDispatcher } from '../../src/workers/dispatch.ts';

export default createDispatcher({
  [boostedTaskName]: boostedTask,
  [histogramHelperTaskName]: histogramHelperTask,
});
