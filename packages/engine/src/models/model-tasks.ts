import { forecast } from '../forecast/forecast.ts';
import type { ForecastAlgorithm } from '../forecast/types.ts';
import { forecastLstm, trainLstm } from './kernels/neural/index.ts';
import type { LstmModel, LstmOptions } from './kernels/neural/types.ts';

/** Name of the worker task that fits and runs the count forecasters (ARIMA, PROPHET, LSTM). */
export const forecastTaskName = 'models.forecast';

/** What the forecast task does: a statistical forecast, or an LSTM training or forecast. */
export type ForecastTaskPayload =
  | {
      readonly op: 'forecast';
      readonly series: { timestamps: number[]; values: number[] };
      readonly horizon: number;
      readonly algorithm: ForecastAlgorithm;
    }
  | { readonly op: 'lstm-train'; readonly values: number[]; readonly options: Partial<LstmOptions> }
  | {
      readonly op: 'lstm-forecast';
      readonly model: LstmModel;
      readonly history: number[];
      readonly horizon: number;
    };

/**
 * Worker task: the forecast kernel (`forecast`) or the LSTM kernel (`trainLstm`, `forecastLstm`)
 * on a worker thread, so that a training or a forecast never holds the event loop.
 */
export async function forecastTask(payload: ForecastTaskPayload): Promise<unknown> {
  switch (payload.op) {
    case 'forecast':
      return forecast(payload.series, { horizon: payload.horizon, algorithm: payload.algorithm });
    case 'lstm-train':
      return trainLstm(payload.values, payload.options);
    case 'lstm-forecast':
      return forecastLstm(payload.model, payload.history, payload.horizon);
  }
}
