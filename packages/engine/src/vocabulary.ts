/**
 * `@incident-insights/engine/vocabulary`: the engine's names, errors and option parsers without
 * its storage, workers or schemas, so that loading them costs milliseconds. A command line
 * declares its commands from these (the allowed values in its help) and reaches the main entry
 * only when a command runs. Everything here is also exported by the main entry.
 */

export { EngineError, type ErrorCode, errorCodes, isEngineError } from './errors.ts';
export { heatmapTypes, timeGranularities } from './heatmaps/heatmap-kinds.ts';
export { ingestFormats } from './ingest/types.ts';
export { ingestFileExtensions } from './input/file-format.ts';
export { instantOption } from './input/instant.ts';
export { windowHoursOption } from './input/window-hours.ts';
export { defaultRecurrenceWindowHours } from './recurrence/recurrence-defaults.ts';
export { modelStatuses, modelTypes, roles } from './schema/enums.ts';
