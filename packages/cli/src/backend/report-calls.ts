import { renderDashboardReportFor } from '@incident-insights/server';
import type { Backend } from './backend.ts';

/**
 * The HTML report of dashboard `id`: rendered here from the engine, or fetched from the running
 * server that holds the database (`GET /api/analytics/dashboard/{id}/report/`, as the system
 * actor). @throws EngineError NOT_FOUND for an unknown dashboard
 */
export async function dashboardReportHtml(backend: Backend, id: string): Promise<string> {
  if (backend.kind === 'engine') return (await renderDashboardReportFor(backend.engine, id)).html;
  return backend.server.text(`/api/analytics/dashboard/${encodeURIComponent(id)}/report/`);
}
