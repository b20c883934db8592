import { defineCapability } from '../capability.ts';
import { type InsightOptions, resolveInsightOptions } from './insight-options.ts';
import type { InsightService } from './insight-service.ts';
import { cleanupJob, generateInsightsJob } from './jobs.ts';
import { insightsMigration } from './migrations.ts';

/**
 * Predictive insights (`engine.insights`): forecasts and risks the serving models produce, in words
 * and numbers, validated once their window ends; and the spec's regular cleanup. Job kinds
 * `generate_insights` and `cleanup`.
 */
export const insightsModule = defineCapability<'insights', InsightService, InsightOptions>({
  name: 'insights',
  migrations: [insightsMigration],
  jobKinds: [generateInsightsJob, cleanupJob],
  checkOptions: (options) => {
    resolveInsightOptions(options);
  },
  createService: async (context, options): Promise<InsightService> => {
    const { InsightService } = await import('./insight-service.ts');
    return new InsightService(context, options);
  },
});
