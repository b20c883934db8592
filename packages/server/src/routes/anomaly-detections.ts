import { createRoute, z } from '@hono/zod-openapi';
import {
  type AnomalyDetection,
  type AnomalyService,
  anomalySeverities,
  anomalyStatuses,
  anomalyTypes,
} from '@incident-insights/engine';
import { currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { registerJobAction } from './jobs.ts';
import { RunAnomalyDetectionBody } from './jobs-schemas.ts';

const AnomalySchema = z
  .object({
    id: z.uuid(),
    model: z.uuid().nullable().openapi({ description: 'The ANOMALY_DETECTION model that produced it' }),
    anomaly_type: z.enum(anomalyTypes),
    severity: z.enum(anomalySeverities),
    status: z.enum(anomalyStatuses),
    confidence_score: z.number().openapi({ description: 'In [0, 1]: 1 − p-value, or a calibrated rank' }),
    anomaly_score: z.number(),
    threshold_used: z.number().nullable(),
    detected_at: z.string().datetime(),
    time_window_start: z.string().datetime(),
    time_window_end: z.string().datetime(),
    related_incidents: z.array(z.uuid()),
    affected_services: z.array(z.string()),
    affected_metrics: z.array(z.string()),
    description: z.string(),
    root_cause_analysis: z.string().nullable(),
    impact_assessment: z.string().nullable(),
    actions_taken: z.array(z.string()),
    resolved_at: z.string().datetime().nullable(),
    resolved_by: z.uuid().nullable(),
    metadata: z.record(z.string(), z.unknown()).openapi({
      description:
        'observed, expected, lower, upper, method, series_key, merged_detections, root_cause (the evidence ' +
        'behind root_cause_analysis), impact (incidents, affected_users, downtime, cost, sla, mtta_minutes, ' +
        'mttr_hours, severity_floor), actions (at, by, user, action, note of each action note), ...',
    }),
    series_key: z.string(),
    acknowledged_at: z.string().datetime().nullable(),
    acknowledged_by: z.uuid().nullable(),
    review_outcome: z.enum(['CONFIRMED', 'FALSE_POSITIVE']).nullable(),
    reviewed_at: z.string().datetime().nullable(),
    reviewed_by: z.uuid().nullable(),
  })
  .openapi('AnomalyDetection');

const SummarySchema = z
  .object({
    total_anomalies: z.number().int(),
    critical_anomalies: z.number().int(),
    high_anomalies: z.number().int(),
    medium_anomalies: z.number().int(),
    low_anomalies: z.number().int(),
    unresolved_anomalies: z.number().int(),
    false_positive_rate: z.string().openapi({ example: '8.5', description: 'Percent of reviewed anomalies' }),
    average_resolution_time: z
      .string()
      .nullable()
      .openapi({ example: '2:30:00', description: 'H:MM:SS from detection to resolution; null if none' }),
  })
  .openapi('AnomalySummary');

const actionNote = z.string().max(2_000).nullish().openapi({
  description:
    'A note on the action, appended to actions_taken as "<ISO time> <username>: <note>" and to metadata.actions',
});

const ResolveBody = z
  .strictObject({
    action_note: actionNote,
    root_cause_analysis: z.string().max(20_000).nullish(),
    impact_assessment: z.string().max(20_000).nullish(),
    actions_taken: z.union([z.string().max(2_000), z.array(z.string().max(2_000)).max(100)]).nullish(),
  })
  .openapi('AnomalyResolution');

/**
 * Body of acknowledge, confirm and false-positive: none, or an object with at most an action note
 * (any other field is refused).
 */
const ActionBody = z.strictObject({ action_note: actionNote }).openapi('AnomalyAction');

const filters = {
  anomaly_type: q.oneOf(anomalyTypes),
  severity: q.oneOf(anomalySeverities),
  status: q.oneOf(anomalyStatuses),
  start_date: q.dateText('Detected at or after (ISO date or date-time)'),
  end_date: q.dateText('Detected at or before (a date alone includes that day)'),
};

const serialize = (a: AnomalyDetection) => toJson(a);

/**
 * `/anomaly-detections/`: list (anomaly_type, severity, status, start_date, end_date, search,
 * ordering), summary, detail, the lifecycle actions acknowledge, confirm, false-positive and
 * resolve (analysts and admins; illegal transitions are 409; each takes an optional `action_note`,
 * appended to `actions_taken` with who and when), and `run/`, which queues a detection run as a
 * job (202).
 */
export function anomalyDetectionRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/anomaly-detections/',
      tags: ['anomaly-detections'],
      summary: 'List anomaly detections',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of anomalies',
          content: jsonContent(paginatedSchema(AnomalySchema, 'AnomalyDetection')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.anomalies.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/anomaly-detections/summary/',
      tags: ['anomaly-detections'],
      summary: 'Anomaly summary',
      responses: { 200: { description: 'Counts and rates', content: jsonContent(SummarySchema) } },
    }),
    async (c) => c.json(toJson(await c.var.engine.anomalies.summary()), 200),
  );

  // Before /anomaly-detections/{id}/ so that "run" is never read as an id.
  registerJobAction(app, {
    path: '/anomaly-detections/run/',
    tag: 'anomaly-detections',
    summary: 'Run anomaly detection (the run_anomaly_detection command) as a job: 202 with the job',
    kind: 'run_anomaly_detection',
    body: RunAnomalyDetectionBody,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/anomaly-detections/{id}/',
      tags: ['anomaly-detections'],
      summary: 'An anomaly detection',
      request: { params: IdParams },
      responses: {
        200: { description: 'The anomaly', content: jsonContent(AnomalySchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.anomalies.get(c.req.valid('param').id)), 200),
  );

  const action = (
    path: string,
    summary: string,
    run: (
      anomalies: AnomalyService,
      id: string,
      actor: { by: string; note: string | null | undefined },
    ) => Promise<AnomalyDetection>,
  ) =>
    app.openapi(
      createRoute({
        method: 'post',
        path: `/anomaly-detections/{id}/${path}/`,
        tags: ['anomaly-detections'],
        summary,
        middleware: [requireAllowed('analyses.write')],
        request: {
          params: IdParams,
          body: { required: false, content: jsonContent(ActionBody) },
        },
        responses: {
          200: { description: 'The anomaly after the action', content: jsonContent(AnomalySchema) },
          ...errorResponses(400, 403, 404, 409),
        },
      }),
      async (c) => {
        const user = currentPrincipal(c);
        const body = (c.req.valid('json') as z.infer<typeof ActionBody> | undefined) ?? {};
        const actor = { by: user.id, note: body.action_note };
        return c.json(serialize(await run(c.var.engine.anomalies, c.req.valid('param').id, actor)), 200);
      },
    );
  action('acknowledge', 'Acknowledge (investigate): DETECTED → INVESTIGATING', (a, id, actor) =>
    a.acknowledge(id, actor),
  );
  action('confirm', 'Confirm: DETECTED or INVESTIGATING → CONFIRMED', (a, id, actor) => a.confirm(id, actor));
  action(
    'false-positive',
    'Mark a false positive: DETECTED or INVESTIGATING → FALSE_POSITIVE',
    (a, id, actor) => a.markFalsePositive(id, actor),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/anomaly-detections/{id}/resolve/',
      tags: ['anomaly-detections'],
      summary: 'Resolve: any status but RESOLVED → RESOLVED, with root cause, impact and actions',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams, body: { required: false, content: jsonContent(ResolveBody) } },
      responses: {
        200: { description: 'The resolved anomaly', content: jsonContent(AnomalySchema) },
        ...errorResponses(400, 403, 404, 409),
      },
    }),
    async (c) => {
      const user = currentPrincipal(c);
      const body = (c.req.valid('json') as z.infer<typeof ResolveBody> | undefined) ?? {};
      const resolved = await c.var.engine.anomalies.resolve(c.req.valid('param').id, {
        resolvedBy: user.id,
        note: body.action_note,
        rootCauseAnalysis: body.root_cause_analysis,
        impactAssessment: body.impact_assessment,
        actionsTaken: body.actions_taken,
      });
      return c.json(serialize(resolved), 200);
    },
  );
  return app;
}
