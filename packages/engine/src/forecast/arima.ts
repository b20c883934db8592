import { normalQuantile } from '../anomaly/kernels/student-t.ts';
import { checkForecast } from './guard.ts';
import type { FitInput } from './models.ts';
import type { RawForecast } from './types.ts';
import { loadArima, quietly } from './wasm.ts';

/** (S)ARIMA orders; the seasonal ones apply with the season of {@link arimaSeason}. */
export interface ArimaOrders {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
}

/** The season ARIMA models: the shortest period (a day of an hourly series), or none. */
function arimaSeason(periods: readonly number[]): number {
  return periods.length === 0 ? 0 : Math.min(...periods);
}

/**
 * The largest orders AutoARIMA searches: p, q ≤ 3, d ≤ 1, P, D, Q ≤ 1. The package's own limits
 * (5, 2, 5, 2, 1, 2) took three minutes for a season of 24 on five weeks of hours; these take
 * about two seconds.
 */
const autoSearch = { p: 3, d: 1, q: 3, P: 1, D: 1, Q: 1 } as const;

/**
 * The fixed orders that compete with AutoARIMA's choice: (p, d, q) with p ≤ 2, d ≤ 1, q ≤ 1, and
 * with a season the seasonal part (0, 1, 1), the seasonal difference that AutoARIMA often leaves out.
 */
function candidateOrders(season: number): ArimaOrders[] {
  const out: ArimaOrders[] = [];
  for (const p of [0, 1, 2]) {
    for (const d of [0, 1]) {
      for (const q of [0, 1]) {
        if (p + q === 0 && d === 0 && season === 0) continue;
        out.push(season > 0 ? { p, d, q, P: 0, D: 1, Q: 1 } : { p, d, q, P: 0, D: 0, Q: 0 });
      }
    }
  }
  return out;
}

/**
 * One ARIMA fit with arima 0.2.8: AutoARIMA (stepwise, within {@link autoSearch}) when `orders` is
 * `'auto'`, else the given orders. Interval ŷ ± z·√(MSE) from the forecast's mean squared error.
 * Unchecked: hand-set orders can diverge (the caller checks with `checkForecast`).
 */
export function fitArimaOrders(input: FitInput, orders: ArimaOrders | 'auto'): RawForecast {
  const { values, periods, horizon, level } = input;
  const ARIMA = loadArima();
  return quietly(() => {
    const s = arimaSeason(periods);
    const model = new ARIMA(
      orders === 'auto' ? { auto: true, ...autoSearch, s, verbose: false } : { ...orders, s, verbose: false },
    );
    try {
      model.train(values);
      const [point, mse] = model.predict(horizon);
      const z = normalQuantile((1 + level) / 2);
      return {
        point,
        lower: point.map((v, h) => v - z * Math.sqrt(mse[h]!)),
        upper: point.map((v, h) => v + z * Math.sqrt(mse[h]!)),
      };
    } finally {
      model.destroy();
    }
  });
}

/** How many steps the order selection holds out: a horizon and at least a season, leaving two seasons and 20 values. */
function tailLength(input: FitInput, season: number): number {
  const wanted = Math.max(input.horizon, season, 1);
  return Math.max(0, Math.min(wanted, input.values.length - Math.max(2 * season, 20)));
}

/**
 * ARIMA with orders chosen automatically: AutoARIMA's choice and {@link candidateOrders} each
 * forecast the series' last {@link tailLength} steps from the history before them; the orders with
 * the lowest mean absolute error there, among fits that pass `checkForecast`, are fitted on the whole
 * history. Without room for a tail, AutoARIMA alone. Throws when no candidate passes; the caller
 * then falls back.
 */
export function fitArima(input: FitInput): RawForecast {
  const season = arimaSeason(input.periods);
  const tail = tailLength(input, season);
  if (tail === 0) return fitArimaOrders(input, 'auto');
  const cut = input.values.length - tail;
  const head: FitInput = { ...input, values: input.values.slice(0, cut), horizon: tail };
  const actual = input.values.slice(cut);
  let best: ArimaOrders | 'auto' | undefined;
  let bestError = Number.POSITIVE_INFINITY;
  for (const orders of ['auto' as const, ...candidateOrders(season)]) {
    let f: RawForecast;
    try {
      f = fitArimaOrders(head, orders);
    } catch {
      continue;
    }
    if (checkForecast(head.values, f, tail) !== null) continue;
    let error = 0;
    for (let i = 0; i < tail; i++) error += Math.abs(actual[i]! - Math.max(0, f.point[i]!));
    if (error < bestError) {
      bestError = error;
      best = orders;
    }
  }
  if (best === undefined) throw new Error('no ARIMA orders gave a usable forecast of the held-out tail');
  return fitArimaOrders(input, best);
}
