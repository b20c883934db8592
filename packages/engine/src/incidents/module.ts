import { defineCapability } from '../capability.ts';
import type { IncidentService } from './incident-service.ts';

/** Incidents: ingestion from files and objects, listing, reads and writes (`engine.incidents`). */
export const incidentsModule = defineCapability({
  name: 'incidents',
  createService: async (context): Promise<IncidentService> => {
    const { IncidentService } = await import('./incident-service.ts');
    return new IncidentService(context);
  },
});
