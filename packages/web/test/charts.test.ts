import { describe, expect, it } from 'vitest';
import {
  anomalyTimelineOption,
  chartBackground,
  costBreakdownOption,
  forecastOption,
  heatmapOption,
  kpiTrendOption,
  noDataText,
  seriesPalette,
  severityColors,
  textColor,
} from '../src/charts/index.ts';
import { anomalies, costSummary, hourlyHeatmap, insights, measurements, mttrHeatmap } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: an ECharts option is an untyped tree, read here field by field
type Option = Record<string, any>;
const opt = (o: Record<string, unknown>) => o as Option;

/** WCAG 2.x contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function expectNoData(option: Option) {
  expect(option['series']).toEqual([]);
  expect(JSON.stringify(option['title'])).toContain(noDataText);
}

describe('empty input', () => {
  it('gives a "No data" option from every builder instead of throwing', () => {
    expectNoData(opt(kpiTrendOption([])));
    expectNoData(opt(kpiTrendOption([{ ...measurements[0]!, value: null }])));
    expectNoData(opt(heatmapOption(null)));
    expectNoData(opt(heatmapOption({ ...hourlyHeatmap, rows: [], values: [] })));
    expectNoData(opt(anomalyTimelineOption([])));
    expectNoData(opt(costBreakdownOption(null)));
    expectNoData(
      opt(
        costBreakdownOption({
          ...costSummary,
          downtime_cost: '0',
          lost_revenue: '0.00',
          penalty_cost: '0',
          resource_cost: '0',
        }),
      ),
    );
    expectNoData(opt(forecastOption([])));
    expectNoData(opt(forecastOption(insights.filter((i) => i.insight_type !== 'INCIDENT_FORECAST'))));
  });

  it('keeps the chart title above "No data"', () => {
    const option = opt(kpiTrendOption([], { title: 'MTTR' }));
    expect(option['title'].map((t: { text: string }) => t.text)).toEqual(['MTTR', noDataText]);
  });
});

describe('heatmapOption', () => {
  it("names rows and columns with the API's labels, and the unit on the scale", () => {
    const option = opt(heatmapOption(hourlyHeatmap));
    expect(option['yAxis'].data).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(option['xAxis'].data[9]).toBe('09:00');
    expect(option['xAxis'].name).toBe('Hour of day (UTC)');
    expect(option['yAxis'].name).toBe('Weekday');
    // values are (weekday number) × hour: 0 at hour 0, largest 7 × 23 = 161 on Sunday 23:00
    expect(option['visualMap'].min).toBe(0);
    expect(option['visualMap'].max).toBe(161);
    expect(option['visualMap'].text).toEqual(['161 incidents', '0 incidents']);
    expect(option['series'][0].data).toHaveLength(7 * 24);
    expect(option['series'][0].data).toContainEqual([23, 6, 161]);
  });

  it('falls back to weekday names and hh:00 when the labels are missing', () => {
    const option = opt(heatmapOption({ ...hourlyHeatmap, labels: { rows: [], columns: [] } }));
    expect(option['yAxis'].data[0]).toBe('Monday');
    expect(option['yAxis'].data[6]).toBe('Sunday');
    expect(option['xAxis'].data[7]).toBe('07:00');
  });

  it('shows a cell without a value as "-" and says so in the tooltip, escaped', () => {
    const option = opt(
      heatmapOption({
        ...mttrHeatmap,
        labels: { rows: ['<b>pay</b>', '(no service)'], columns: mttrHeatmap.labels.columns },
      }),
    );
    expect(option['series'][0].data).toContainEqual([1, 0, '-']);
    expect(option['tooltip'].formatter({ value: [1, 0, '-'] })).toBe(
      '&lt;b&gt;pay&lt;/b&gt;, Sat 02 Mar 2024: no value',
    );
    expect(option['tooltip'].formatter({ value: [0, 0, 2.5] })).toContain('2.5 hours');
  });
});

describe('forecastOption', () => {
  const option = opt(forecastOption(insights));
  const series = option['series'] as Option[];

  it('draws the prediction interval as a band: the lower bound, then the width stacked on it and filled', () => {
    const [lower, band, line, actual] = series;
    // daily forecasts sorted by window: 4 Mar (42, 31..55), 5 Mar (38, 28..50), 6 Mar (40, 30..52)
    expect(option['xAxis'].data).toEqual(['Mon 4 Mar 2024', 'Tue 5 Mar 2024', 'Wed 6 Mar 2024']);
    expect(lower!['data']).toEqual([31, 28, 30]);
    expect(band!['data']).toEqual([24, 22, 22]); // 55 − 31, 50 − 28, 52 − 30
    expect(lower!['stack']).toBe(band!['stack']);
    expect(lower!['areaStyle']).toBeUndefined();
    expect(band!['areaStyle']).toBeDefined();
    expect(line!['data']).toEqual([42, 38, 40]);
    expect(actual!['data']).toEqual([45, '-', '-']);
    expect(option['yAxis'].name).toBe('incidents');
  });

  it('draws the weekly horizon when asked, and a model forecast as given', () => {
    const weekly = opt(forecastOption(insights, { horizon: 'week' }));
    expect(weekly['series'][2].data).toEqual([280]);
    expect(weekly['xAxis'].data).toEqual(['Week of Mon 4 Mar 2024']);
    const model = opt(
      forecastOption({
        group: null,
        timestamps: ['2024-03-04T00:00:00.000Z', '2024-03-05T00:00:00.000Z'],
        mean: [10, 12],
        lower: [8, 9],
        upper: [13, 15],
      }),
    );
    expect(model['series'][0].data).toEqual([8, 9]);
    expect(model['series'][1].data).toEqual([5, 6]);
  });

  it('puts the forecast, its interval and the unit in the tooltip', () => {
    expect(option['tooltip'].formatter([{ dataIndex: 0 }])).toBe(
      '4 Mar 2024 00:00 UTC<br/>Forecast: 42 incidents<br/>Interval: 31 to 55 incidents<br/>Actual: 45 incidents',
    );
  });
});

describe('kpiTrendOption', () => {
  it('draws one line per metric in time order, a gap for a missing value, units on the axis', () => {
    const option = opt(kpiTrendOption(measurements));
    const [mttr, mtta] = option['series'] as Option[];
    expect(mttr!['name']).toBe('Mean time to resolve');
    expect(mttr!['data']).toEqual([
      ['2024-03-01T00:00:00.000Z', 5.25],
      ['2024-03-02T00:00:00.000Z', 4.5],
      ['2024-03-03T00:00:00.000Z', 3.75],
    ]);
    expect(mtta!['data'][1]).toEqual(['2024-03-02T00:00:00.000Z', null]);
    expect(option['yAxis'].name).toBe('hours / minutes');
    expect(option['legend'].show).toBe(true);
  });

  it('draws the target as a dashed line labelled with its unit', () => {
    const option = opt(
      kpiTrendOption(
        measurements.filter((m) => m.metric_type === 'MTTR'),
        { target: '4.00' },
      ),
    );
    expect(option['yAxis'].name).toBe('hours');
    expect(option['series'][0].markLine.data).toEqual([{ yAxis: 4 }]);
    expect(option['series'][0].markLine.label.formatter).toBe('Target 4 hours');
  });
});

describe('costBreakdownOption', () => {
  it('draws one bar per part of the summary with the currency', () => {
    const option = opt(costBreakdownOption(costSummary));
    expect(option['yAxis'].data).toEqual(['Downtime', 'Lost revenue', 'SLA penalties', 'Resources']);
    expect(option['series'][0].data.map((d: { value: number }) => d.value)).toEqual([9000, 4000, 500, 1500]);
    expect(option['xAxis'].name).toBe('USD');
    expect(option['series'][0].label.formatter({ value: 9000 })).toBe('9,000 USD');
    // whole axis values keep their zeros: 2,000 not 2
    expect([0, 2000, 10000].map(option['xAxis'].axisLabel.formatter)).toEqual(['0', '2,000', '10,000']);
  });
});

describe('anomalyTimelineOption', () => {
  it('places each anomaly at its detection time on its severity row, with its id', () => {
    const option = opt(anomalyTimelineOption(anomalies));
    expect(option['yAxis'].data).toEqual(['Low', 'Medium', 'High', 'Critical']);
    const names = (option['series'] as Option[]).map((s) => s['name']);
    expect(names).toEqual(['Low', 'High', 'Critical']);
    const critical = (option['series'] as Option[])[2]!;
    expect(critical['data']).toEqual([
      { id: anomalies[0]!.id, value: ['2024-03-02T09:00:00.000Z', 'Critical', 6] },
    ]);
    const tip = option['tooltip'].formatter({ data: { id: anomalies[0]!.id } });
    expect(tip).toContain('Volume spike');
    expect(tip).toContain('Services: payments');
  });
});

describe('colours', () => {
  it('have at least 4.5:1 contrast against the background (WCAG AA for text)', () => {
    for (const colour of [...seriesPalette, ...Object.values(severityColors), textColor]) {
      expect(contrast(colour, chartBackground), colour).toBeGreaterThanOrEqual(4.5);
    }
  });
});
