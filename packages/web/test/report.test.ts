import { describe, expect, it } from 'vitest';
import { chartWidgetTypes, renderDashboardReport } from '../src/report/index.ts';
import { dashboard, dashboardData, hourlyHeatmap, measurements } from './fixtures.ts';

const input = {
  dashboard,
  data: dashboardData,
  kpiMeasurements: measurements,
  generatedAt: '2024-03-04T09:30:00.000Z',
};

describe('renderDashboardReport', () => {
  const html = renderDashboardReport(input);

  it('draws one inline SVG per chart widget', () => {
    const charts = dashboard.widget_configs.filter((w) =>
      (chartWidgetTypes as readonly string[]).includes(w.type),
    );
    expect(charts).toHaveLength(5);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(charts.length);
  });

  it('escapes every text and holds no script and no external asset', () => {
    expect(html).toContain(
      '<h1>Executive &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; overview</h1>',
    );
    expect(html).toContain('<h2>&lt;b&gt;Forecast&lt;/b&gt;</h2>');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
  });

  it('escapes text that ECharts draws into the SVG', () => {
    const hostile = {
      ...hourlyHeatmap,
      name: '<script>alert(2)</script>',
      labels: { ...hourlyHeatmap.labels, rows: ['<img src=x onerror=alert(3)>'] },
    };
    const out = renderDashboardReport({ ...input, data: { ...dashboardData, heatmap_data: [hostile] } });
    expect(out.toLowerCase()).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('lists the widgets in layout order (row, then column)', () => {
    const types = [...html.matchAll(/data-widget-type="([a-z_]+)"/g)].map((m) => m[1]);
    expect(types).toEqual([
      'kpi_summary',
      'kpi_trend',
      'anomaly_summary',
      'recent_anomalies',
      'cost_summary',
      'cost_breakdown',
      'insight_summary',
      'recent_insights',
      'forecast',
      'heatmap',
    ]);
  });

  it('shows KPI tiles and lists as tables, the generation time and the data time', () => {
    expect(html).toContain('Generated 4 Mar 2024 09:30 UTC · data computed 4 Mar 2024 08:00 UTC');
    expect(html).toContain(
      '<td>Mean time to resolve</td><td class="num">3.75 hours</td><td>↓ down -16.67%</td>',
    );
    expect(html).toContain('<td class="good">met</td>');
    expect(html).toContain('<td>Total cost</td><td class="num">15,000 USD</td>');
    expect(html).toContain('INC0001 is likely to be escalated');
    // the heatmap's labels reach the SVG
    expect(html).toContain('Monday');
    expect(html).toContain('09:00');
  });

  it('gives the same bytes for the same input, in another order of calls', () => {
    renderDashboardReport({ ...input, generatedAt: new Date('2025-01-01T00:00:00Z') });
    expect(renderDashboardReport(input)).toBe(html);
    expect(renderDashboardReport({ ...input, generatedAt: new Date(input.generatedAt) })).toBe(html);
  });

  it('draws "No data" charts for a dashboard without data', () => {
    const empty = renderDashboardReport({ dashboard, data: {}, generatedAt: input.generatedAt });
    expect(empty.match(/<svg[\s>]/g)).toHaveLength(5);
    expect(empty.match(/>No data</g)?.length).toBe(5);
    expect(empty).toContain('No KPI measured yet.');
  });
});
