export { IncidentDetailPage } from './detail.tsx';
export { IncidentsPage } from './list.tsx';
