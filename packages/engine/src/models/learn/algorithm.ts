/**
 * What each tabular algorithm provides to `trainModel` and `predict`: a fit on encoded rows and a
 * raw prediction. The shared work (configuration, feature kinds, target encoding, intervals,
 * labels) is done once in `learn.ts`.
 */

import type { WorkerPool } from '../../workers/pool.ts';
import type { EncodedTarget } from './encoding.ts';
import type { LearnTask, ModelFeature, TabularRow } from './types.ts';

/** The inputs of a fit. */
export interface FitInput {
  readonly rows: readonly TabularRow[];
  readonly features: readonly ModelFeature[];
  readonly target: EncodedTarget;
  readonly config: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly pool?: WorkerPool | undefined;
}

/** What a fit gives back. */
export interface FitResult {
  /** JSON-safe state `predictRaw` reads. */
  readonly state: unknown;
  /** Rows actually fitted on (after a sampling cap). */
  readonly trainingRows: number;
  /** Gain share per feature index, when the algorithm measures it. */
  readonly importance?: ArrayLike<number>;
  /**
   * Regression: out-of-sample residuals (actual − predicted) the algorithm got for free (a
   * forest's out-of-bag rows); otherwise `trainModel` measures them on a held-out tail.
   */
  readonly residuals?: Float64Array;
}

/** Raw predictions: class probabilities (row-major, `classes` per row) and optionally labels, or values. */
export type RawPrediction =
  | { readonly probabilities: Float64Array; readonly labels?: Int32Array }
  | { readonly values: Float64Array };

/** One algorithm. */
export interface TabularLearner {
  fit(input: FitInput): Promise<FitResult>;
  predictRaw(
    state: unknown,
    rows: readonly TabularRow[],
    context: {
      readonly features: readonly ModelFeature[];
      readonly task: LearnTask;
      readonly classes: number;
      readonly pool?: WorkerPool | undefined;
    },
  ): Promise<RawPrediction>;
}
