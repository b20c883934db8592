import type { ModelType } from '../schema/enums.ts';
import type { TrainedModel } from './learn/types.ts';
import type { LstmState } from './model-learners.ts';
import type { ForecastSettings } from './model-schema.ts';

/** A tabular model (severity, escalation, resolution time, cost): the trained model and its catalogue features. */
export interface TabularArtifact {
  readonly kind: 'tabular';
  readonly model_type: ModelType;
  /** Catalogue feature names as the feature layer reads them (before text-hash expansion). */
  readonly features: readonly string[];
  readonly model: TrainedModel;
}

/**
 * An incident-count forecaster: the settings it was trained with and, per group, the fitted state.
 * ARIMA and PROPHET keep no state (they refit on the latest history at each prediction, which is
 * what they are: a fit of the history); LSTM keeps its weights, the tree and network forecasters
 * their trained model over lag and calendar features.
 */
export interface ForecastArtifact {
  readonly kind: 'forecast';
  readonly algorithm: 'ARIMA' | 'PROPHET' | 'LSTM' | 'RANDOM_FOREST' | 'XGBOOST' | 'NEURAL_NETWORK';
  readonly settings: ForecastSettings;
  /** Forecast features (lags, rolling means, calendar) for the tree and network forecasters. */
  readonly features: readonly string[];
  /** Steps of history a prediction reads (the training window). */
  readonly history_steps: number;
  readonly groups: readonly {
    readonly group: string | null;
    readonly state: TrainedModel | LstmState | null;
  }[];
}

/** An anomaly model: the detector settings it runs with (the anomaly run reads them by model id). */
interface AnomalyArtifact {
  readonly kind: 'anomaly';
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a trained version stores. */
export type ModelArtifact = TabularArtifact | ForecastArtifact | AnomalyArtifact;
