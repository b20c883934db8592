import { defineCapability } from '../capability.ts';
import type { HeatmapService } from './heatmap-service.ts';
import { refreshHeatmapsJob } from './jobs.ts';

/**
 * Heatmaps (`engine.heatmaps`): incident frequency, resolution time, cost impact and anomaly
 * density by weekday × hour, service × day, category × week and weekday × month, computed in
 * DuckDB and stored in migration 1's `heatmap_data` (the grid, filters and filter key in its
 * `data_points`; `updated_at` is when the cells were computed), so it needs no migration of its own.
 * Job kind `refresh_heatmaps`.
 */
export const heatmapsModule = defineCapability<'heatmaps', HeatmapService>({
  name: 'heatmaps',
  jobKinds: [refreshHeatmapsJob],
  createService: async (context): Promise<HeatmapService> => {
    const { HeatmapService } = await import('./heatmap-service.ts');
    return new HeatmapService(context);
  },
});
