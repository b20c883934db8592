import { createRoute, z } from '@hono/zod-openapi';
import { type RecurrenceAnalysis, recurrenceTypes } from '@incident-insights/engine';
import { currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { registerJobAction } from './jobs.ts';
import { AnalyzeRecurrenceBody } from './jobs-schemas.ts';

const RecurrenceSchema = z
  .object({
    id: z.uuid(),
    recurrence_type: z.enum(recurrenceTypes).openapi({
      description:
        'EXACT_FINGERPRINT: same normalised title, service, category and symptoms; SIMILAR_TEXT: similar ' +
        'title and description (MinHash/Jaccard), several wordings; PERIODIC: comes back on a regular schedule',
    }),
    fingerprint: z
      .string()
      .openapi({ description: 'Stable key of the pattern: its most frequent incident fingerprint' }),
    confidence_score: z.number().openapi({
      description: 'In [0, 1]: support × similarity × regularity; metadata.confidence gives each factor',
    }),
    related_incidents: z.array(z.uuid()).openapi({ description: 'Incident ids, oldest first' }),
    occurrence_count: z.number().int(),
    first_seen: z.string().datetime(),
    last_seen: z.string().datetime(),
    mean_interval_hours: z.number().nullable(),
    affected_services: z.array(z.string()),
    description: z.string(),
    metadata: z.record(z.string(), z.unknown()).openapi({
      description:
        'confidence (factors and formula), evidence, fingerprints, window, algorithm, reopenings, resolutions',
    }),
    is_resolved: z.boolean(),
    resolved_at: z.string().datetime().nullable(),
    resolved_by: z.uuid().nullable(),
    resolution_notes: z.string().nullable(),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('RecurrenceAnalysis');

const notesText = z.string().max(10_000, { error: 'must be at most 10000 characters' }).nullish();

/**
 * Body of resolve: `resolution_notes`, the name the analysis shows them under. `notes` is kept as
 * an alias of it (the earlier name); giving both with different texts is refused. Any other field
 * is refused by name.
 */
const ResolveBody = z
  .strictObject({
    resolution_notes: notesText.openapi({ description: 'Why or how the pattern was resolved' }),
    notes: notesText.openapi({
      description: 'Alias of resolution_notes (the earlier name)',
      deprecated: true,
    }),
  })
  .refine((b) => b.notes == null || b.resolution_notes == null || b.notes === b.resolution_notes, {
    path: ['notes'],
    message: 'is an alias of resolution_notes; give one of them',
  })
  .openapi('RecurrenceResolution');

const filters = {
  recurrence_type: q.oneOf(recurrenceTypes),
  min_confidence: q.number(0, 1),
  is_resolved: q.boolean(),
};

const serialize = (a: RecurrenceAnalysis) => toJson(a);
const page = (description: string) => ({
  description,
  content: jsonContent(paginatedSchema(RecurrenceSchema, 'RecurrenceAnalysis')),
});

/**
 * `/recurrence-analyses/`: list (recurrence_type, min_confidence, is_resolved, search, ordering),
 * the unresolved view, detail, and resolve (analysts and admins; resolving twice is 409). The
 * analyses themselves are produced by `insights analyze-recurrence` / `engine.recurrence.analyze`,
 * or queued as a job by `run/` (202).
 */
export function recurrenceAnalysisRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/recurrence-analyses/',
      tags: ['recurrence-analyses'],
      summary: 'List recurrence analyses',
      request: { query: listQuery(filters) },
      responses: { 200: page('A page of recurrence analyses'), ...errorResponses(400, 404) },
    }),
    async (c) => {
      const result = await c.var.engine.recurrence.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, result, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/recurrence-analyses/unresolved/',
      tags: ['recurrence-analyses'],
      summary: 'List unresolved recurrence analyses',
      request: {
        query: listQuery({
          recurrence_type: filters.recurrence_type,
          min_confidence: filters.min_confidence,
        }),
      },
      responses: { 200: page('A page of unresolved recurrence analyses'), ...errorResponses(400, 404) },
    }),
    async (c) => {
      const result = await c.var.engine.recurrence.unresolved(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, result, serialize), 200);
    },
  );

  // Before /recurrence-analyses/{id}/ so that "run" is never read as an id.
  registerJobAction(app, {
    path: '/recurrence-analyses/run/',
    tag: 'recurrence-analyses',
    summary: 'Analyse recurrence (the analyze-recurrence command) as a job: 202 with the job',
    kind: 'analyze_recurrence',
    body: AnalyzeRecurrenceBody,
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/recurrence-analyses/{id}/',
      tags: ['recurrence-analyses'],
      summary: 'A recurrence analysis',
      request: { params: IdParams },
      responses: {
        200: { description: 'The analysis', content: jsonContent(RecurrenceSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.recurrence.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/recurrence-analyses/{id}/resolve/',
      tags: ['recurrence-analyses'],
      summary: 'Mark resolved; a later occurrence of the pattern reopens it',
      middleware: [requireAllowed('analyses.write')],
      request: { params: IdParams, body: { required: false, content: jsonContent(ResolveBody) } },
      responses: {
        200: { description: 'The resolved analysis', content: jsonContent(RecurrenceSchema) },
        ...errorResponses(400, 403, 404, 409),
      },
    }),
    async (c) => {
      const user = currentPrincipal(c);
      const body = (c.req.valid('json') as z.infer<typeof ResolveBody> | undefined) ?? {};
      const notes = body.resolution_notes ?? body.notes;
      const resolved = await c.var.engine.recurrence.resolve(c.req.valid('param').id, {
        resolvedBy: user.id,
        ...(notes ? { notes } : {}),
      });
      return c.json(serialize(resolved), 200);
    },
  );
  return app;
}
