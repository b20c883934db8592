export type { AnomalyModelConfig } from './anomaly/anomaly-model.ts';
export { anomalyModelConfigSchema, systemAnomalyModelName } from './anomaly/anomaly-model.ts';
export type { AnomalyDetection } from './anomaly/anomaly-record.ts';
export type { AnomalyRunOptions, AnomalyRunResult } from './anomaly/anomaly-run.ts';
export {
  type AnomalyListFilters,
  type AnomalyResolveInput,
  AnomalyService,
  anomalyResolveSchema,
} from './anomaly/anomaly-service.ts';
export type { AnomalySummary } from './anomaly/anomaly-summary.ts';
export {
  type AnomalyThreshold,
  type AnomalyThresholdInput,
  AnomalyThresholdStore,
  anomalyThresholdInputSchema,
  thresholdKpiSeries,
} from './anomaly/anomaly-thresholds.ts';
export {
  type AlarmBudget,
  type Detection,
  type DetectOptions,
  type DetectorMethod,
  detectAnomalies,
  detectorMethods,
  detectSeriesAnomalies,
  type SeriesInput,
} from './anomaly/detect.ts';
export { type AnomalyAction, anomalyTransitions } from './anomaly/lifecycle.ts';
export { AuthService } from './auth/auth-service.ts';
export type {
  ApiToken,
  CreatedToken,
  LoginResult,
  NewToken,
  NewUser,
  SessionAuth,
  TokenAuth,
  User,
  UserPatch,
} from './auth/types.ts';
export { defaultDatabasePath, Engine, type EngineOptions, openEngine } from './engine.ts';
export { EngineError, type ErrorCode, errorCodes, isEngineError } from './errors.ts';
export type { DomainEvent } from './events/outbox.ts';
export { type IncidentCoverage, IncidentService } from './incidents/incident-service.ts';
export {
  type ColumnMapping,
  type IgnoredColumns,
  type IngestFormat,
  type IngestOptions,
  type IngestReport,
  type IngestSource,
  ingestFormats,
  type RowError,
} from './ingest/types.ts';
// One input vocabulary: the parsers the CLI and the HTTP server both read their input with.
export {
  type FieldError,
  type FieldErrorWording,
  type ZodIssueLike,
  zodIssuesToFieldErrors,
} from './input/field-errors.ts';
export { formatFromFileName, ingestFileExtensions } from './input/file-format.ts';
export { instantOption } from './input/instant.ts';
export {
  maxWindowHours,
  type ParsedWindowHours,
  parseWindowHours,
  type WindowHoursRule,
  windowHoursOption,
} from './input/window-hours.ts';
export { defaultOpenOutageHorizonHours, type KpiOptions } from './kpi/kpi-options.ts';
export {
  type CalculateOptions,
  type CalculationResult,
  KpiService,
  type MeasurementQuery,
} from './kpi/kpi-service.ts';
export type { MaintenanceWindowInput, MetricCreateInput, MetricUpdateInput } from './kpi/metric-schema.ts';
export type {
  KpiMeasurement,
  KpiMetric,
  KpiSummaryItem,
  LatestMeasurement,
  MaintenanceWindow,
} from './kpi/records.ts';
export type { RecurrenceGroup, RecurrenceType } from './recurrence/kernels/find-recurrences.ts';
export { recurrenceTypes } from './recurrence/kernels/find-recurrences.ts';
export type { RecurrenceAnalysis } from './recurrence/recurrence-record.ts';
export {
  type AnalyzeRecurrenceRequest,
  type AnalyzeRecurrenceResult,
  defaultRecurrenceWindowHours,
  maxRecurrenceWindowHours,
  RecurrenceService,
  type ResolveRecurrenceRequest,
} from './recurrence/recurrence-service.ts';
export { isDateOnly, type ParsedInstant, parseInstant } from './schema/dates.ts';
export * from './schema/enums.ts';
export {
  type Incident,
  type IncidentColumn,
  type IncidentInput,
  incidentColumns,
  incidentInputSchema,
  type ValidIncident,
} from './schema/incident.ts';
export { defaultPageSize, type ListRequest, maxPageSize, type Page } from './store/list-query.ts';
export { generateIncidents } from './synth/generate.ts';
export { loadSyntheticIncidents, type SyntheticLoad } from './synth/loader.ts';
export {
  defaultSyntheticEnd,
  type PlantedAnomaly,
  type PlantedAnomalyKind,
  type RecurringTruth,
  type SyntheticData,
  type SyntheticIncident,
  type SyntheticOptions,
  type SyntheticTruth,
} from './synth/types.ts';
export {
  type SyntheticFile,
  type SyntheticFileFormat,
  syntheticColumns,
  writeSyntheticCsv,
  writeSyntheticNdjson,
  writeSyntheticParquet,
} from './synth/writers.ts';
export type { WorkerPoolOptions, WorkerPoolStats } from './workers/pool.ts';
