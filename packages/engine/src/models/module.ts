import { defineCapability } from '../capability.ts';
import { learnTasks } from './learn/learn-tasks.ts';
import { modelsMigration } from './migrations.ts';
import { scoreIncidentsJob, trainPredictiveModelsJob } from './model-jobs.ts';
import type { ModelService } from './model-service.ts';
import { forecastTask, forecastTaskName } from './model-tasks.ts';

/**
 * Predictive models (`engine.models`): definitions, training jobs, stored versions, predictions
 * and the predictions stored on incidents. The tabular library's worker tasks and the forecasters'
 * task (`models.forecast`) are registered here.
 */
export const modelsModule = defineCapability({
  name: 'models',
  migrations: [modelsMigration],
  jobKinds: [trainPredictiveModelsJob, scoreIncidentsJob],
  tasks: { ...learnTasks, [forecastTaskName]: forecastTask },
  createService: async (context): Promise<ModelService> => {
    const { ModelService } = await import('./model-service.ts');
    return new ModelService(context);
  },
});
