/** Worker entry of the tabular models' benchmark: the tabular library's tasks. */
import { learnTasks } from '../packages/engine/src/models/learn/learn-tasks.ts';
import { createDispatcher } from '../packages/engine/src/workers/dispatch.ts';

export default createDispatcher(learnTasks);
