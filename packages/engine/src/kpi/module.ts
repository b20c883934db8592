import { defineCapability } from '../capability.ts';
import { calculateKpisJob } from './jobs.ts';
import { type KpiOptions, outageRule } from './kpi-options.ts';
import type { KpiService } from './kpi-service.ts';

/**
 * KPI metrics, measurements, the summary and maintenance windows (`engine.kpis`). Opening the
 * engine makes sure the system metrics exist; incident writes that move or delete incidents mark
 * the hours they leave for the next rollup refresh.
 */
export const kpiModule = defineCapability<'kpis', KpiService, KpiOptions>({
  name: 'kpis',
  jobKinds: [calculateKpisJob],
  checkOptions: (options) => {
    outageRule(options);
  },
  createService: async (context, options) => {
    const { KpiService } = await import('./kpi-service.ts');
    const service = new KpiService(context, options);
    await service.ensureSystemMetrics();
    return service;
  },
  onIncidentsWritten: async (tx, { vacated }) => {
    const { markDirtyHours } = await import('./dirty-hours.ts');
    await markDirtyHours(tx, `SELECT hour FROM (${vacated.sql})`, vacated.params);
  },
});
