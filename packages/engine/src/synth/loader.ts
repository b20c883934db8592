import type { Engine } from '../engine.ts';
import type { IngestReport } from '../ingest/types.ts';
import { generateIncidents } from './generate.ts';
import type { SyntheticData, SyntheticOptions } from './types.ts';

/** What {@link loadSyntheticIncidents} wrote. */
export interface SyntheticLoad {
  /** The generated data set (with its ground truth, computed on first access). */
  readonly data: SyntheticData;
  /** The ingestion report (inserted vs updated: ids `SYN-<n>` already present are overwritten). */
  readonly report: IngestReport;
}

/**
 * Generates synthetic incidents and stores them through `engine.incidents.ingest({ records })`,
 * so they pass the same validation and upsert (by external id) as any other source. The window
 * ends at the engine's clock (floored to the hour) unless `start` or `end` is given. The generator
 * streams into the ingestion, which stages batch by batch in DuckDB, so JS memory stays constant.
 *
 * @throws EngineError VALIDATION_ERROR for bad generator options.
 */
export async function loadSyntheticIncidents(
  engine: Engine,
  options: SyntheticOptions,
): Promise<SyntheticLoad> {
  const data = generateIncidents(options.start || options.end ? options : { ...options, end: engine.now() });
  const report = await engine.incidents.ingest({ records: data.incidents });
  return { data, report };
}
