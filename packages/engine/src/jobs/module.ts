import { defineCapability } from '../capability.ts';
import type { JobService } from './job-service.ts';
import { type JobsOptions, resolveJobsOptions } from './jobs-options.ts';
import { jobsMigration } from './migrations.ts';

/**
 * Jobs and schedules (`engine.jobs`): the batch operations of every module (`jobKinds`) queued,
 * run, retried, cancelled and scheduled on the engine's database. Registered last, so that the
 * services its handlers use exist when it opens.
 */
export const jobsModule = defineCapability<'jobs', JobService, JobsOptions>({
  name: 'jobs',
  migrations: [jobsMigration],
  checkOptions: (options) => {
    resolveJobsOptions(options);
  },
  createService: async (context, options) => {
    const { openJobService } = await import('./job-service.ts');
    return openJobService(context, options);
  },
});
