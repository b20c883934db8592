/**
 * Worker entry of the transfer benchmark: the engine's tasks plus `bench.echo`, which returns its
 * payload as it came (structured clone both ways for plain objects).
 */
import { createDispatcher } from '../packages/engine/src/workers/dispatch.ts';
import { tasks } from '../packages/engine/src/workers/tasks.ts';

export default createDispatcher({ ...tasks, 'bench.echo': (payload: unknown) => payload });
