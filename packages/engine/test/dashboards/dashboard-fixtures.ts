/** The spec's own request body for `POST /dashboard-configurations/`. */
export const specDashboard = {
  name: 'Executive Dashboard',
  description: 'High-level metrics for executives',
  dashboard_type: 'EXECUTIVE',
  layout_config: { rows: 2, columns: 3 },
  widget_configs: [
    { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 2, height: 1 } },
    { type: 'anomaly_summary', position: { row: 0, column: 2 }, size: { width: 1, height: 1 } },
  ],
  is_public: false,
  allowed_roles: ['executive', 'manager'],
  auto_refresh_enabled: true,
  refresh_interval_seconds: 300,
};
