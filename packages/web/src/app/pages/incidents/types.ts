/** An incident as `/api/incidents/` returns it (the fields the pages show). */
export interface Incident {
  id: string;
  external_id: string | null;
  title: string;
  description: string | null;
  category: string | null;
  subcategory: string | null;
  severity: string;
  priority: string | null;
  status: string | null;
  service: string | null;
  team: string | null;
  created_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  escalation_level: number | null;
  reopen_count: number | null;
  reassignment_count: number | null;
  affected_users: number | null;
  tags: string[] | null;
  predictions: IncidentPredictions | null;
}

/** The predictions the ACTIVE models stored on an incident. */
export interface IncidentPredictions {
  severity?: { label: string; probabilities: Record<string, number>; model: string; version: string };
  escalation?: { probability: number; label: string; model: string; version: string };
  resolution_time?: {
    value: number;
    lower: number;
    upper: number;
    unit: string;
    model: string;
    version: string;
  };
}

/** The incident filters of the list, as the API names them. */
export interface IncidentFilters {
  search: string;
  service: string;
  severity: string;
  status: string;
  priority: string;
  created_after: string;
  created_before: string;
}

export const severityValues = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const priorityValues = ['P1', 'P2', 'P3', 'P4', 'P5'];
export const statusValues = ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'ON_HOLD', 'RESOLVED', 'CLOSED'];
