import { describe, expect, it } from 'vitest';
import { detectSeriesAnomalies } from '../src/anomaly/detect/detect.ts';
import { detectorFamilies, detectorMethods } from '../src/anomaly/detect/detect-types.ts';
import { EngineError } from '../src/errors.ts';

// The README's series: 200 hourly points cycling 10, 11, 12 with one spike of 60 at point 150.
const start = Date.UTC(2024, 0, 1);
const series = {
  key: 'latency',
  timestamps: Array.from({ length: 200 }, (_, i) => start + i * 3_600_000),
  values: Array.from({ length: 200 }, (_, i) => (i === 150 ? 60 : 10 + (i % 3))),
};
const spikeAt = start + 150 * 3_600_000;

describe('the detector registry', () => {
  it('lists every detector once, in the documented order', () => {
    expect(detectorMethods).toEqual([
      'robust_z',
      'gesd',
      'seasonal_esd',
      'cusum',
      'isolation_forest',
      'threshold',
      'dynamic_threshold',
    ]);
  });

  it('runs each listed detector and labels its detections with that detector and its family', () => {
    for (const method of detectorMethods) {
      const detections = detectSeriesAnomalies(series, { methods: [method], thresholds: { upper: 30 } });
      for (const d of detections) {
        expect(d.method).toBe(method);
        expect(d.anomalyType).toBe(detectorFamilies[method]);
      }
      // A spike of 60 over a 10–12 cycle is a point outlier for every point detector and above the
      // static bound of 30; CUSUM looks for level shifts, the forest for unusual windows.
      if (method !== 'cusum' && method !== 'isolation_forest') {
        expect(detections.some((d) => d.peakTimestamp === spikeAt)).toBe(true);
      }
    }
  });

  it('refuses an unknown detector, naming the registered ones', () => {
    const run = () => detectSeriesAnomalies(series, { methods: ['prophet' as never] });
    expect(run).toThrow(EngineError);
    expect(run).toThrow(`detect option methods must be ${detectorMethods.join(', ')}`);
  });
});
