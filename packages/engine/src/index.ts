/**
 * `@incident-insights/engine`: the public API of the engine, in groups: the engine and its
 * options; the capability services (types only: reach them as `engine.incidents`, `engine.kpis`,
 * ...); authorisation; lists; records and schemas of each capability; errors; the input parsers
 * the shells share; the standalone kernels. The synthetic data generator is the subpath
 * `@incident-insights/engine/synth`.
 */

// ── The engine and its options ─────────────────────────────────────────────────────────────────

export { defaultDatabasePath, Engine, type EngineOptions, openEngine } from './engine.ts';
export type { DomainEvent } from './events/outbox.ts';
export { defaultOpenOutageHorizonHours, type KpiOptions } from './kpi/kpi-options.ts';
export type { WorkerPoolOptions, WorkerPoolStats } from './workers/pool.ts';

// ── Capability services: types only, an engine builds them ────────────────────────────────────

export type { AnomalyService } from './anomaly/anomaly-service.ts';
export type { AnomalyThresholdStore } from './anomaly/persist/anomaly-thresholds.ts';
export type { AuthService } from './auth/auth-service.ts';
export type { IncidentService } from './incidents/incident-service.ts';
export type { JobKindInfo, JobService } from './jobs/job-service.ts';
export type { KpiService } from './kpi/kpi-service.ts';
export type { RecurrenceService } from './recurrence/recurrence-service.ts';

// ── Authorisation: the one policy every shell is held to (engine.as(actor) applies it) ─────────

export {
  type Action,
  type Actor,
  actions,
  assertAllowed,
  can,
  canViewDashboard,
  type DashboardVisibility,
  permissionRole,
  systemActor,
} from './auth/policy.ts';

// ── Lists: every list takes a ListRequest<Filters> and answers a Page ──────────────────────────

export type { AnomalyActor, AnomalyListFilters } from './anomaly/anomaly-service.ts';
export type { AnomalyThresholdListFilters } from './anomaly/persist/anomaly-thresholds.ts';
export type { TokenListFilters, UserListFilters } from './auth/auth-rules.ts';
export type { IncidentListFilters } from './incidents/incident-row.ts';
export type { JobListFilters } from './jobs/job-queue.ts';
export type { MaintenanceWindowListFilters } from './kpi/maintenance-windows.ts';
export type { MeasurementListFilters } from './kpi/measurement-store.ts';
export type { KpiMetricListFilters } from './kpi/metric-store.ts';
export type { RecurrenceListFilters } from './recurrence/recurrence-record.ts';
export {
  type AnyListFilters,
  defaultPageSize,
  type ListRequest,
  maxPageSize,
  type Page,
} from './store/list-query.ts';

// ── Records and schemas: incidents and ingestion ───────────────────────────────────────────────
// Naming: the options and results of operations are camelCase (`AnomalyRunResult.createdIds`,
// `IncidentCoverage.firstCreatedAt`, `resolve(id, { rootCauseAnalysis })`). The stored resource
// records (`Incident`, `KpiMetric`, `AnomalyDetection`, `RecurrenceAnalysis`, ...), the anomaly
// summary and the list filters keep the spec's snake_case names, because they are the spec's
// resources and query parameters; the server and the CLI print them as they are, and map the
// camelCase options and results to the spec's names at their edge.

export type {
  IncidentPredictions,
  IncidentRecord,
  PredictionSource,
} from './incidents/incident-row.ts';
export type { IncidentCoverage } from './incidents/incident-service.ts';
export {
  type ColumnMapping,
  type IgnoredColumns,
  type IngestFormat,
  type IngestOptions,
  type IngestProgress,
  type IngestReport,
  type IngestSource,
  ingestFormats,
  type RowError,
} from './ingest/types.ts';
export * from './schema/enums.ts';
export {
  type Incident,
  type IncidentColumn,
  type IncidentInput,
  incidentColumns,
  incidentInputSchema,
  type ValidIncident,
} from './schema/incident.ts';

// ── Records and schemas: users, tokens, sessions ───────────────────────────────────────────────

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

// ── Records and schemas: KPIs ──────────────────────────────────────────────────────────────────

export type { CalculateOptions, CalculationResult } from './kpi/kpi-service.ts';
export type { MaintenanceWindowInput, MetricCreateInput, MetricUpdateInput } from './kpi/metric-schema.ts';
export type {
  KpiMeasurement,
  KpiMetric,
  KpiSummaryItem,
  LatestMeasurement,
  MaintenanceWindow,
} from './kpi/records.ts';

// ── Records and schemas: recurrence ────────────────────────────────────────────────────────────

export {
  type RecurrenceGroup,
  type RecurrenceType,
  recurrenceTypes,
} from './recurrence/kernels/find-recurrences.ts';
export { defaultRecurrenceWindowHours } from './recurrence/recurrence-defaults.ts';
export type { RecurrenceAnalysis } from './recurrence/recurrence-record.ts';
export {
  type AnalyzeRecurrenceRequest,
  type AnalyzeRecurrenceResult,
  maxRecurrenceWindowHours,
  type ResolveRecurrenceRequest,
} from './recurrence/recurrence-service.ts';

// ── Records and schemas: cost impact ───────────────────────────────────────────────────────────

export type { CostCalculationResult } from './cost/cost-calculation.ts';
export type {
  CostModelInput,
  CostSettings,
  CostSettingsInput,
  ServiceTierInput,
  SlaContractInput,
} from './cost/cost-config.ts';
export type { CostModelRecord, ServiceTierRecord, SlaContractRecord } from './cost/cost-config-store.ts';
export type { CostAnalysisListFilters, CostAnalysisRecord } from './cost/cost-record.ts';
export { type CostService, type CostValidation, defaultCostWindowHours } from './cost/cost-service.ts';
export type { CostSummary } from './cost/cost-summary.ts';

// ── Records and schemas: webhooks ──────────────────────────────────────────────────────────────

export {
  signWebhookBody,
  verifyWebhookSignature,
  type WebhookVerification,
} from './webhooks/signature.ts';
export type { WebhookListFilters, WebhookService } from './webhooks/webhook-service.ts';
export {
  type DeliveryAttempt,
  type DeliveryPassResult,
  type DeliveryRecord,
  type DeliveryStatus,
  deliveryStatuses,
  type WebhookFilters,
  type WebhookInput,
  type WebhookOptions,
  type WebhookRecord,
  type WebhookWithSecret,
} from './webhooks/webhook-types.ts';

// ── Records and schemas: heatmaps ──────────────────────────────────────────────────────────────

export {
  type ColumnAxis,
  type HeatmapFilters,
  type HeatmapType,
  heatmapTypes,
  type RowAxis,
  type TimeGranularity,
  timeGranularities,
} from './heatmaps/heatmap-kinds.ts';
export type { HeatmapPeriod } from './heatmaps/heatmap-period.ts';
export type { HeatmapGrid, HeatmapListFilters, HeatmapRecord } from './heatmaps/heatmap-record.ts';
export type {
  HeatmapService,
  RefreshedHeatmap,
  RefreshHeatmapsRequest,
  RefreshHeatmapsResult,
} from './heatmaps/heatmap-service.ts';

// ── Records and schemas: dashboards ────────────────────────────────────────────────────────────

export {
  type DashboardType,
  dashboardTypes,
  type LayoutConfig,
  refreshIntervalBounds,
  type WidgetConfig,
  type WidgetOptions,
  type WidgetType,
  widgetTypes,
} from './dashboards/dashboard-config.ts';
export type { DashboardData } from './dashboards/dashboard-data.ts';
export type {
  DashboardConfiguration,
  DashboardInput,
  DashboardListFilters,
} from './dashboards/dashboard-record.ts';
export type { DashboardDataResult, DashboardService } from './dashboards/dashboard-service.ts';

// ── Records and schemas: predictive insights ───────────────────────────────────────────────────

export {
  type CleanupOptions,
  type CleanupResult,
  defaultExpiredInsightsDays,
  defaultFinishedJobsOlderThanDays,
  defaultMeasurementsOlderThanDays,
} from './insights/cleanup.ts';
export {
  type ConfidenceLevel,
  confidenceLevels,
  highConfidenceCutoff,
  mediumConfidenceCutoff,
} from './insights/insight-math.ts';
export type { InsightOptions } from './insights/insight-options.ts';
export {
  type InsightListFilters,
  type InsightType,
  insightTypes,
  type PredictiveInsightRecord,
} from './insights/insight-record.ts';
export type { GenerateInsightsResult, InsightService, InsightSummary } from './insights/insight-service.ts';

// ── Records and schemas: predictive models ─────────────────────────────────────────────────────

export type { ForecastPrediction } from './models/forecasters.ts';
export type { TrainingOutcome } from './models/model-lifecycle.ts';
export type {
  AnomalyMetrics,
  ForecastMetrics,
  ModelPerformance,
  ModelPerformanceReport,
  ModelScores,
  ModelTask,
} from './models/model-performance.ts';
export type { ModelPrediction, PredictRequest } from './models/model-prediction.ts';
export type { ModelListFilters, PredictiveModelRecord } from './models/model-record.ts';
export type { CreateModelInput, UpdateModelInput } from './models/model-schema.ts';
export type { IncidentPrediction, PredictionValue } from './models/model-scoring.ts';
export type { ModelService } from './models/model-service.ts';

// ── Records and schemas: anomalies ─────────────────────────────────────────────────────────────

export { type AnomalyResolveInput, anomalyResolveSchema } from './anomaly/anomaly-service.ts';
export {
  type AnomalyModelConfig,
  anomalyModelConfigSchema,
  systemAnomalyModelName,
} from './anomaly/persist/anomaly-model.ts';
export type { AnomalyDetection } from './anomaly/persist/anomaly-record.ts';
export type { AnomalySummary } from './anomaly/persist/anomaly-summary.ts';
export {
  type AnomalyThreshold,
  type AnomalyThresholdInput,
  anomalyThresholdInputSchema,
  thresholdKpiSeries,
} from './anomaly/persist/anomaly-thresholds.ts';
export { type AnomalyAction, anomalyTransitions } from './anomaly/persist/lifecycle.ts';
export type { AnomalyRunOptions, AnomalyRunResult } from './anomaly/run/anomaly-run.ts';

// ── Jobs and schedules: batch work queued, run, retried and scheduled (engine.jobs) ────────────

export { jobError } from './jobs/job-errors.ts';
export type { FailOutcome, JobQueue, NewJob } from './jobs/job-queue.ts';
export type { JobRequest } from './jobs/job-request.ts';
export type { JobRunner, JobRunnerOptions } from './jobs/job-runner.ts';
export {
  type Job,
  type JobError,
  type JobKind,
  type JobProgress,
  type JobRunContext,
  type JobStatus,
  type JsonValue,
  jobStatuses,
} from './jobs/job-types.ts';
export type { JobsOptions } from './jobs/jobs-options.ts';
export {
  defaultSchedules,
  dueSlot,
  nextRunAt,
  type ScheduleConfig,
  type ScheduleState,
  slotStart,
} from './jobs/schedule-slots.ts';

// ── Errors: one type, stable codes ─────────────────────────────────────────────────────────────

export { EngineError, type ErrorCode, errorCodes, isEngineError } from './errors.ts';

// ── Input parsers: what the CLI and the HTTP server both read their input with ─────────────────

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
export { isDateOnly, type ParsedInstant, parseInstant } from './schema/dates.ts';

// ── Standalone kernels: pure functions on your own data, no engine needed ─────────────────────

export {
  type AlarmBudget,
  type Detection,
  type DetectOptions,
  type DetectorMethod,
  detectAnomalies,
  detectorMethods,
  detectSeriesAnomalies,
  type SeriesInput,
} from './anomaly/detect/detect.ts';
export {
  evaluateRollingOrigin,
  type FoldForecast,
  type ForecastScores,
} from './forecast/evaluate.ts';
export { forecast } from './forecast/forecast.ts';
export {
  type ForecastAlgorithm,
  type ForecastOptions,
  type ForecastPoint,
  type ForecastResult,
  type ForecastSeries,
  forecastAlgorithms,
} from './forecast/types.ts';
export {
  algorithmConfigSchema,
  type ClassificationMetrics,
  classificationMetrics,
  type FeatureValue,
  type LearnTask,
  type ModelFeature,
  majorityBaseline,
  meanBaseline,
  predict,
  type RegressionMetrics,
  regressionMetrics,
  type TabularAlgorithm,
  type TabularPrediction,
  type TabularRow,
  type TrainedModel,
  type TrainSpec,
  tabularAlgorithms,
  trainModel,
} from './models/learn/index.ts';
