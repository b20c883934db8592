import { defineCapability } from '../capability.ts';
import type { CostService } from './cost-service.ts';
import { calculateCostsJob } from './jobs.ts';
import { costMigration } from './migrations.ts';

/**
 * Cost impact (`engine.costs`): cost models, SLA contracts and exchange rates configured by users;
 * every cost type of the spec computed per incident into cost analyses, validated by analysts.
 * Job kind `calculate_costs`.
 */
export const costsModule = defineCapability<'costs', CostService>({
  name: 'costs',
  migrations: [costMigration],
  jobKinds: [calculateCostsJob],
  createService: async (context): Promise<CostService> => {
    const { CostService } = await import('./cost-service.ts');
    return new CostService(context);
  },
});
