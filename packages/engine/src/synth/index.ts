/**
 * `@incident-insights/engine/synth`: the synthetic incident generator (with its ground truth), the
 * loader that stores its output through an engine, and the file writers. Used by the CLI's `demo`
 * command, the tests and the benchmarks; kept out of the main entry, which holds the engine itself.
 */

export { generateIncidents } from './generate.ts';
export { loadSyntheticIncidents, type SyntheticLoad } from './loader.ts';
export {
  defaultSyntheticEnd,
  type PlantedAnomaly,
  type PlantedAnomalyKind,
  type RecurringTruth,
  type SyntheticData,
  type SyntheticIncident,
  type SyntheticOptions,
  type SyntheticTruth,
} from './types.ts';
export {
  type SyntheticFile,
  type SyntheticFileFormat,
  syntheticColumns,
  writeSyntheticCsv,
  writeSyntheticNdjson,
  writeSyntheticParquet,
} from './writers.ts';
