import { describe, expect, it } from 'vitest';
import { binomialTail } from '../src/anomaly/kernels/binomial-tail.ts';
import { poissonTail } from '../src/anomaly/kernels/poisson-tail.ts';
import { formatHms, formatPercent } from '../src/anomaly/persist/anomaly-summary.ts';
import { nextStatus } from '../src/anomaly/persist/lifecycle.ts';
import { type AnomalyDraft, mergeDrafts } from '../src/anomaly/run/anomaly-merge.ts';
import { describeDetection, severityOf } from '../src/anomaly/run/anomaly-wording.ts';
import { calibrateCount } from '../src/anomaly/run/count-calibration.ts';

describe('tail probabilities', () => {
  it('match scipy.stats', () => {
    // scipy 1.x: poisson.sf(14, 2), poisson.cdf(0, 5), poisson.sf(99, 50), poisson.cdf(30, 60)
    expect(poissonTail(15, 2, 'upper')).toBeCloseTo(3.871230404600283e-9, 20);
    expect(poissonTail(0, 5, 'lower')).toBeCloseTo(0.006737946999085468, 15);
    expect(poissonTail(100, 50, 'upper') / 3.2000653245851495e-10).toBeCloseTo(1, 9);
    expect(poissonTail(30, 60, 'lower') / 1.4174343333492149e-5).toBeCloseTo(1, 9);
    // binom.sf(21, 100, 0.12), binom.cdf(3, 100, 0.12), binom.sf(399, 2000, 0.15)
    expect(binomialTail(22, 100, 0.12, 'upper')).toBeCloseTo(0.0034061224487267326, 14);
    expect(binomialTail(3, 100, 0.12, 'lower')).toBeCloseTo(0.0014504666927057134, 14);
    expect(binomialTail(400, 2000, 0.15, 'upper') / 1.048969766108965e-9).toBeCloseTo(1, 9);
  });
});

describe('count calibration', () => {
  it('expects a busy weekday hour from the hour-of-day and weekday profile, not the overall mean', () => {
    // Four weeks of hourly counts: 4 an hour from 09:00 to 17:00 UTC on weekdays, 1 otherwise.
    const start = Date.UTC(2026, 0, 5); // a Monday
    const n = 28 * 24;
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      timestamps[i] = start + i * 3_600_000;
      const day = new Date(timestamps[i]!).getUTCDay();
      const hour = new Date(timestamps[i]!).getUTCHours();
      values[i] = day >= 1 && day <= 5 && hour >= 9 && hour < 17 ? 4 : 1;
    }
    // Monday of week 4 at 10:00 (index 21·24 + 10) with its usual 4 incidents is expected.
    const usual = calibrateCount(timestamps, values, 21 * 24 + 10, 21 * 24 + 10, 'hour');
    expect(usual.pValue).toBeGreaterThan(0.1);
    values[21 * 24 + 10] = 30;
    const storm = calibrateCount(timestamps, values, 21 * 24 + 10, 21 * 24 + 10, 'hour');
    expect(storm.observed).toBe(30);
    expect(storm.pValue).toBeLessThan(1e-10);
    // By hand, over the other 671 hours: hour-10 mean = (19·4 + 8·1)/27 = 84/27; Monday mean =
    // (4·48 − 4)/95 = 188/95; overall mean = (20·48 + 8·24 − 4)/671 = 1148/671; expected =
    // (84/27)·(188/95)/(1148/671) = 3.59857.
    expect(storm.expected).toBeCloseTo(3.59857, 4);
  });
});

describe('severity, wording and summary formats', () => {
  it('grades severity by score ratio, raises it for impact and caps it when unsure', () => {
    const base = { confidence: 0.999, relatedCount: 10, criticalCount: 0, highCount: 0, affectedUsers: 0 };
    expect(severityOf({ ...base, scoreRatio: 1.2 })).toBe('LOW');
    expect(severityOf({ ...base, scoreRatio: 2 })).toBe('MEDIUM');
    expect(severityOf({ ...base, scoreRatio: 3 })).toBe('HIGH');
    expect(severityOf({ ...base, scoreRatio: 5 })).toBe('CRITICAL');
    expect(severityOf({ ...base, scoreRatio: 2, criticalCount: 1 })).toBe('HIGH');
    expect(severityOf({ ...base, scoreRatio: 2, highCount: 5 })).toBe('HIGH');
    expect(severityOf({ ...base, scoreRatio: 5, confidence: 0.8 })).toBe('MEDIUM');
  });

  it('describes a count anomaly with its expected range', () => {
    const t = Date.UTC(2026, 2, 2, 10);
    expect(
      describeDetection(
        { metric: 'incident_count', granularity: 'hour', slice: 'service', sliceValue: 'checkout' },
        47,
        8,
        15,
        t,
        t + 3_600_000,
      ),
    ).toBe('47 incidents for checkout on 2026-03-02 between 10:00 and 11:00 UTC; expected 8 to 15');
  });

  it('formats the summary fields as the spec does', () => {
    expect(formatHms(9000)).toBe('2:30:00');
    expect(formatHms(90061)).toBe('25:01:01');
    expect(formatPercent(100 / 12)).toBe('8.3');
    expect(formatPercent(8.5)).toBe('8.5');
  });

  it('refuses illegal lifecycle steps', () => {
    expect(nextStatus('a', 'DETECTED', 'acknowledge')).toBe('INVESTIGATING');
    expect(() => nextStatus('a', 'RESOLVED', 'resolve')).toThrow(/allowed only from/);
    expect(() => nextStatus('a', 'CONFIRMED', 'mark_false_positive')).toThrow(/CONFIRMED/);
  });
});

describe('merging detections', () => {
  const draft = (over: Partial<AnomalyDraft>): AnomalyDraft => ({
    anomalyType: 'STATISTICAL',
    seriesKey: 'incident_count:hour:service=checkout',
    rank: 0,
    score: 10,
    threshold: 3.5,
    confidence: 0.999,
    windowStart: 0,
    windowEnd: 3_600_000,
    relatedIncidents: ['a', 'b', 'c', 'd'],
    affectedServices: ['checkout'],
    affectedMetrics: ['INCIDENT_COUNT'],
    description: '',
    impact: { criticalCount: 0, highCount: 0, affectedUsers: 0 },
    metadata: {},
    ...over,
  });

  it('folds the daily and per-category views of one storm into the per-service hourly one', async () => {
    const groups = await mergeDrafts([
      draft({
        seriesKey: 'incident_count:day:service=checkout',
        rank: 1,
        windowEnd: 86_400_000,
        relatedIncidents: ['a', 'b', 'c', 'd', 'e', 'f'],
      }),
      draft({
        seriesKey: 'incident_count:hour:category=Software',
        rank: 2,
        relatedIncidents: ['a', 'b', 'c', 'x'],
      }),
      draft({}),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.primary.seriesKey).toBe('incident_count:hour:service=checkout');
    expect(groups[0]?.members).toHaveLength(3);
  });

  it('keeps a different kind of change, and a storm elsewhere, apart', async () => {
    const groups = await mergeDrafts([
      draft({}),
      draft({
        seriesKey: 'mtta_distribution:team=web',
        rank: 8,
        affectedMetrics: ['MTTA'],
        relatedIncidents: ['a', 'b', 'c'],
      }),
      draft({ seriesKey: 'incident_count:hour:service=search', relatedIncidents: ['p', 'q'] }),
    ]);
    expect(groups).toHaveLength(3);
  });
});
