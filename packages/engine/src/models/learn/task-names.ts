/** Names of the tabular library's worker tasks (see `learn-tasks.ts`). */

/** The task that trains a model (`trainModel` in the worker's thread). */
export const trainModelTaskName = 'models.learn.train';
/** The task that predicts with a model (`predict` in the worker's thread). */
export const predictTaskName = 'models.learn.predict';
/** The task that trains trees `firstTree …` of a forest. */
export const forestPartTaskName = 'models.learn.forest-part';
