import { normalQuantile } from '../anomaly/kernels/student-t.ts';
import type { RawForecast } from './types.ts';
import { type Augurs, quietly } from './wasm.ts';

/** What a model fit gets: the regular history and the forecast asked for. */
export interface FitInput {
  values: number[];
  /** Timestamp of values[0], ms. */
  start: number;
  stepMs: number;
  /** Seasonal periods in steps, ascending (may be empty). */
  periods: number[];
  horizon: number;
  level: number;
}

const dayMs = 86_400_000;

/** Prophet's own Fourier orders: 3 for a weekly season, 4 for a daily one, 10 for a yearly one. */
function fourierOrder(period: number, stepMs: number): number {
  const days = (period * stepMs) / dayMs;
  const order = days === 7 ? 3 : days === 1 ? 4 : days >= 360 ? 10 : 4;
  return Math.max(1, Math.min(order, Math.floor(period / 2)));
}

/**
 * Prophet (Stan MAP fit through augurs' WebAssembly optimiser), linear trend, one additive
 * seasonality per period with Prophet's own Fourier orders and no automatic ones. Prophet's interval
 * comes from random draws, so it is replaced by a reproducible one: ŷ ± z·σ with σ the root mean
 * square of the in-sample residuals.
 */
export function fitProphet(augurs: Augurs, input: FitInput): RawForecast {
  const { values, start, stepMs, periods, horizon, level } = input;
  return quietly(() => {
    const off = { type: 'manual', enabled: false } as const;
    const model = new augurs.Prophet({
      optimizer: augurs.optimizer,
      uncertaintySamples: 0,
      yearlySeasonality: off,
      weeklySeasonality: off,
      dailySeasonality: off,
    });
    try {
      for (const p of periods) {
        model.addSeasonality(`season_${p}`, {
          period: (p * stepMs) / dayMs,
          fourierOrder: fourierOrder(p, stepMs),
        });
      }
      const ds = values.map((_, i) => (start + i * stepMs) / 1000);
      model.fit({ ds, y: values });
      const inSample = model.predict().yhat.point;
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += (values[i]! - inSample[i]!) ** 2;
      const half = normalQuantile((1 + level) / 2) * Math.sqrt(sum / values.length);
      const future = model.predict(model.makeFutureDataframe(horizon, { includeHistory: false })).yhat.point;
      return { point: future, lower: future.map((v) => v - half), upper: future.map((v) => v + half) };
    } finally {
      model.free();
    }
  });
}

/**
 * The ETS family with seasonality: augurs' MSTL decomposition over every period, its trend and
 * remainder forecast by AutoETS (which alone fits no season); with no period, AutoETS alone (ZZN).
 * The interval is augurs' own at `level`.
 */
export function fitMstlEts(augurs: Augurs, input: FitInput): RawForecast {
  const { values, periods, horizon, level } = input;
  return quietly(() => {
    const model = periods.length > 0 ? augurs.MSTL.ets(periods) : new augurs.AutoETS(1, 'ZZN');
    try {
      model.fit(values);
      const f = model.predict(horizon, level);
      if (!f.intervals) throw new Error('the model gave no interval');
      return { point: f.point, lower: f.intervals.lower, upper: f.intervals.upper };
    } finally {
      model.free();
    }
  });
}
