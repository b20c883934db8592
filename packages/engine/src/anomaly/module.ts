import { defineCapability } from '../capability.ts';
import type { AnomalyService } from './anomaly-service.ts';
import { runAnomalyDetectionJob } from './jobs.ts';
import { behavioralTaskName, behavioralTests } from './tasks/behavioral-task.ts';
import { detectBatch, detectTaskName } from './tasks/detect-task.ts';
import { forestScores, forestTaskName } from './tasks/forest-task.ts';

/**
 * Anomaly detection: detectors on any series, incident runs, the anomaly lifecycle and summary
 * (`engine.anomalies`).
 */
export const anomalyModule = defineCapability({
  name: 'anomalies',
  jobKinds: [runAnomalyDetectionJob],
  tasks: {
    [detectTaskName]: detectBatch,
    [forestTaskName]: forestScores,
    [behavioralTaskName]: behavioralTests,
  },
  createService: async (context): Promise<AnomalyService> => {
    const { AnomalyService } = await import('./anomaly-service.ts');
    return new AnomalyService(context);
  },
});
