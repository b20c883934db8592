/** Worker entry of the tabular library's pool tests: the library's own tasks. */
import { learnTasks } from '../../../src/models/learn/learn-tasks.ts';
import { createDispatcher } from '../../../src/workers/dispatch.ts';

export default createDispatcher(learnTasks);
