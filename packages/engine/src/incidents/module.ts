import { defineCapability } from '../capability.ts';
import { incidentIdIndexMigration } from '../store/migrations/v8-incident-id-index.ts';
import type { IncidentService } from './incident-service.ts';

/** Incidents: ingestion from files and objects, listing, reads and writes (`engine.incidents`). */
export const incidentsModule = defineCapability({
  name: 'incidents',
  migrations: [incidentIdIndexMigration],
  createService: async (context): Promise<IncidentService> => {
    const { IncidentService } = await import('./incident-service.ts');
    return new IncidentService(context);
  },
});
