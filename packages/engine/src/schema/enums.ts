/** Incident severity, lowest first. */
export const severities = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof severities)[number];

/** Incident priority, most urgent first. */
export const priorities = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export type Priority = (typeof priorities)[number];

/** Incident lifecycle status. */
export const incidentStatuses = [
  'OPEN',
  'ACKNOWLEDGED',
  'IN_PROGRESS',
  'ON_HOLD',
  'RESOLVED',
  'CLOSED',
] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** KPI metric types of the spec. */
export const metricTypes = [
  'MTTA',
  'MTTR',
  'MTBF',
  'MTBSI',
  'AVAILABILITY',
  'INCIDENT_COUNT',
  'RESOLUTION_RATE',
  'ESCALATION_RATE',
  'CUSTOM',
] as const;
export type MetricType = (typeof metricTypes)[number];

/** KPI aggregation types of the spec. */
export const aggregationTypes = [
  'AVERAGE',
  'MEDIAN',
  'MIN',
  'MAX',
  'SUM',
  'COUNT',
  'PERCENTILE_95',
  'PERCENTILE_99',
] as const;
export type AggregationType = (typeof aggregationTypes)[number];

/** Predictive model types of the spec. */
export const modelTypes = [
  'ANOMALY_DETECTION',
  'INCIDENT_PREDICTION',
  'SEVERITY_PREDICTION',
  'RESOLUTION_TIME_PREDICTION',
  'ESCALATION_PREDICTION',
  'COST_PREDICTION',
] as const;
export type ModelType = (typeof modelTypes)[number];

/** Learning algorithms of the spec. */
export const algorithmTypes = [
  'ISOLATION_FOREST',
  'LSTM',
  'RANDOM_FOREST',
  'XGBOOST',
  'SVM',
  'NEURAL_NETWORK',
  'ARIMA',
  'PROPHET',
] as const;
export type AlgorithmType = (typeof algorithmTypes)[number];

/** Predictive model status. */
export const modelStatuses = ['TRAINING', 'ACTIVE', 'INACTIVE', 'RETRAINING', 'ERROR'] as const;
export type ModelStatus = (typeof modelStatuses)[number];

/** Anomaly detection families of the spec. */
export const anomalyTypes = ['STATISTICAL', 'TEMPORAL', 'PATTERN', 'THRESHOLD', 'BEHAVIORAL'] as const;
export type AnomalyType = (typeof anomalyTypes)[number];

/**
 * Anomaly severity: the incident severities, named for the anomaly schema.
 *
 * @alias
 */
export const anomalySeverities = severities;
export type AnomalySeverity = Severity;

/** Anomaly lifecycle: DETECTED → INVESTIGATING → CONFIRMED | FALSE_POSITIVE → RESOLVED. */
export const anomalyStatuses = [
  'DETECTED',
  'INVESTIGATING',
  'CONFIRMED',
  'FALSE_POSITIVE',
  'RESOLVED',
] as const;
export type AnomalyStatus = (typeof anomalyStatuses)[number];

/** Cost categories of the spec. */
export const costTypes = [
  'DOWNTIME',
  'LOST_REVENUE',
  'PENALTY',
  'RESOURCE_COST',
  'REPUTATION_COST',
  'COMPLIANCE_COST',
] as const;
export type CostType = (typeof costTypes)[number];

/** Roles known to the permission model; dashboards may name further roles in `allowed_roles`. */
export const roles = ['admin', 'analyst', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** Domain events written to the outbox and delivered to webhooks. */
export const eventTypes = [
  'ANOMALY_DETECTED',
  'KPI_THRESHOLD_BREACHED',
  'MODEL_TRAINING_COMPLETED',
  'COST_THRESHOLD_EXCEEDED',
] as const;
export type EventType = (typeof eventTypes)[number];
