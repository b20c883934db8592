import { defineCapability } from '../capability.ts';
import type { DashboardService } from './dashboard-service.ts';

/**
 * Dashboards (`engine.dashboards`): widget configurations on a grid, stored in migration 1's
 * `dashboard_configurations` (so it needs no migration of its own), their visibility
 * (`is_public`, `allowed_roles`) and their data, read from the KPI, anomaly, cost, insight and
 * heatmap services and cached for each dashboard's refresh interval. No job kinds.
 */
export const dashboardsModule = defineCapability<'dashboards', DashboardService>({
  name: 'dashboards',
  createService: async (context): Promise<DashboardService> => {
    const { DashboardService } = await import('./dashboard-service.ts');
    return new DashboardService(context);
  },
});
