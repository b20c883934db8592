/** Dashboard configurations and precomputed heatmaps. */
export const dashboardTables = [
  `CREATE TABLE dashboard_configurations (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    dashboard_type VARCHAR NOT NULL,
    layout_config JSON NOT NULL DEFAULT '{}',
    widget_configs JSON NOT NULL DEFAULT '[]',
    is_public BOOLEAN NOT NULL DEFAULT false,
    allowed_roles VARCHAR[] NOT NULL DEFAULT [],
    auto_refresh_enabled BOOLEAN NOT NULL DEFAULT true,
    refresh_interval_seconds INTEGER NOT NULL DEFAULT 300,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_by UUID,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
  `CREATE TABLE heatmap_data (
    id UUID PRIMARY KEY,
    name VARCHAR NOT NULL,
    heatmap_type VARCHAR NOT NULL,
    time_granularity VARCHAR NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    data_points JSON NOT NULL,
    color_scheme VARCHAR NOT NULL DEFAULT 'viridis',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
