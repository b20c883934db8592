/**
 * The worker entry of the engine's pool: runs the tasks of `tasks.ts` by name. Loaded by Piscina
 * from `src/` (with tsx) or `dist/`.
 */
import { createDispatcher } from './dispatch.ts';
import { tasks } from './tasks.ts';

export default createDispatcher(tasks);
