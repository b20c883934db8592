import { createRoute, z } from '@hono/zod-openapi';
import {
  type ColumnMapping,
  formatFromFileName,
  type IncidentInput,
  type IngestFormat,
  incidentStatuses,
  ingestFormats,
  priorities,
  severities,
} from '@incident-insights/engine';
import type { Context } from 'hono';
import { requireAllowed } from '../auth/permissions.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import {
  IncidentInputSchema,
  IncidentPatchSchema,
  IncidentSchema,
  IngestReportSchema,
} from './incident-schemas.ts';

const filters = {
  category: q.text(),
  severity: q.anyOf(severities),
  priority: q.anyOf(priorities),
  status: q.anyOf(incidentStatuses),
  service: q.text(),
  team: q.text(),
  created_after: q.date(),
  created_before: q.date(),
};

/** Body media types of the bulk endpoint and the ingest format each means. */
const formatOfType: Readonly<Record<string, IngestFormat>> = {
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/ndjson': 'ndjson',
  'text/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/vnd.apache.arrow.file': 'arrow',
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/zip': 'servicenow',
};

const BulkQuery = z.strictObject({
  skip_invalid: q.boolean().openapi({ description: 'Write the valid rows and report the invalid ones' }),
  format: q.oneOf(ingestFormats as unknown as [IngestFormat, ...IngestFormat[]]).openapi({
    description: 'Override the format implied by the Content-Type (e.g. `servicenow` for its CSV)',
  }),
  column_mapping: z
    .string()
    .optional()
    .openapi({ description: 'JSON object mapping incident fields to CSV headers, e.g. {"title":"Summary"}' }),
  ignore_columns: z
    .string()
    .optional()
    .openapi({
      description:
        'JSON array of source columns (JSON keys) to leave unread, e.g. ["Notes"]; any other column or key ' +
        'that is neither an incident field nor mapped to one is refused',
    }),
});

const rawBody = (description: string) => ({ schema: { type: 'string' as const, description } });

/** `/api/incidents/`: list, detail, create, bulk ingest, update and delete of incidents. */
export function incidentRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/incidents/',
      tags: ['incidents'],
      summary: 'List incidents',
      description:
        'Filters: category, service, team (exact); severity, priority, status (one value or several, ' +
        'comma-separated); created_after (inclusive), created_before (exclusive). Search looks in title and ' +
        'description. Ordering: created_at, resolved_at, severity, priority, status, service, team, title.',
      request: { query: listQuery(filters) },
      responses: {
        200: {
          description: 'A page of incidents',
          content: jsonContent(paginatedSchema(IncidentSchema, 'Incident')),
        },
        ...errorResponses(400, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.incidents.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/incidents/{id}/',
      tags: ['incidents'],
      summary: 'One incident',
      request: { params: IdParams },
      responses: {
        200: { description: 'The incident', content: jsonContent(IncidentSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(toJson(await c.var.engine.incidents.get(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/incidents/',
      tags: ['incidents'],
      summary: 'Create one incident (analyst)',
      middleware: requireAllowed('incidents.write'),
      request: { body: { required: true, content: jsonContent(IncidentInputSchema) } },
      responses: {
        201: { description: 'Created', content: jsonContent(IncidentSchema) },
        ...errorResponses(400, 403, 409),
      },
    }),
    async (c) => {
      const incident = await c.var.engine.incidents.create(c.req.valid('json') as IncidentInput);
      return c.json(toJson(incident), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/incidents/bulk/',
      tags: ['incidents'],
      summary: 'Ingest many incidents, all or nothing (analyst)',
      description:
        'Body: a JSON array (`application/json`), NDJSON (`application/x-ndjson`), CSV (`text/csv`), Parquet ' +
        '(`application/vnd.apache.parquet`), Arrow IPC (`application/vnd.apache.arrow.file|stream`), the ' +
        'ServiceNow event-log zip (`application/zip`), TSV (`text/tab-separated-values`), or `multipart/form-data` ' +
        'with a `file` part (format from its type, else from its name by the same extensions `insights ingest` ' +
        'reads: .json, .ndjson/.jsonl, .csv, .tsv, .parquet/.pq, .arrow/.ipc/.feather, .zip; optional ' +
        '`format`, `column_mapping` and `ignore_columns` parts). A column or key ' +
        'that is neither an incident field nor mapped is refused (400) unless `ignore_columns` names it. ' +
        'Incidents are upserted by ' +
        'external_id. One invalid row fails the batch (400, `details.errors` lists row, line, field, message) ' +
        'and nothing is written, unless `skip_invalid=true`.',
      middleware: requireAllowed('incidents.write'),
      request: {
        query: BulkQuery,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'array', items: { $ref: '#/components/schemas/IncidentInput' } },
            },
            'application/x-ndjson': rawBody('One incident JSON object a line'),
            'text/csv': rawBody('CSV with a header row'),
            'text/tab-separated-values': rawBody('TSV (tab-separated) with a header row'),
            'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
            'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
            'application/zip': { schema: { type: 'string', format: 'binary' } },
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  file: { type: 'string', format: 'binary' },
                  format: { type: 'string', enum: [...ingestFormats] },
                  column_mapping: { type: 'string' },
                  ignore_columns: { type: 'string' },
                },
                required: ['file'],
              },
            },
          },
        },
      },
      responses: {
        200: { description: 'Ingested', content: jsonContent(IngestReportSchema) },
        ...errorResponses(400, 403, 409, 413, 415),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const upload = await readUpload(
        c,
        query.format,
        parseMapping(query.column_mapping),
        parseIgnored(query.ignore_columns),
      );
      const report = await c.var.engine.incidents.ingest(upload, {
        skipInvalid: query.skip_invalid ?? false,
      });
      return c.json(toJson(report), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/incidents/{id}/',
      tags: ['incidents'],
      summary: 'Change fields of an incident (analyst)',
      middleware: requireAllowed('incidents.write'),
      request: { params: IdParams, body: { required: true, content: jsonContent(IncidentPatchSchema) } },
      responses: {
        200: { description: 'The incident', content: jsonContent(IncidentSchema) },
        ...errorResponses(400, 403, 404, 409),
      },
    }),
    async (c) => {
      const patch = c.req.valid('json') as Partial<IncidentInput>;
      return c.json(toJson(await c.var.engine.incidents.update(c.req.valid('param').id, patch)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/incidents/{id}/',
      tags: ['incidents'],
      summary: 'Delete an incident (admin)',
      middleware: requireAllowed('incidents.delete'),
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.incidents.delete(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}

type Upload = {
  data: Uint8Array | string;
  format: IngestFormat;
  columnMapping?: ColumnMapping;
  ignoreColumns?: readonly string[];
};

/** Reads the bulk body as the engine's `{ data, format }` source. @throws ApiError 415 / 400 */
async function readUpload(
  c: Context<AppEnv>,
  override: IngestFormat | undefined,
  mapping: ColumnMapping | undefined,
  ignored: readonly string[] | undefined,
): Promise<Upload> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const withMapping = (u: Upload): Upload => ({
    ...u,
    ...(mapping ? { columnMapping: mapping } : {}),
    ...(ignored ? { ignoreColumns: ignored } : {}),
  });
  if (type === 'multipart/form-data') {
    const form = await c.req.formData().catch(() => {
      throw new ApiError(400, 'Malformed multipart body', { code: 'PARSE_ERROR' });
    });
    const file = form.get('file');
    if (!(file instanceof File)) {
      throw new ApiError(400, 'Invalid field file: a file part named "file" is required', {
        code: 'VALIDATION_ERROR',
        details: { errors: [{ field: 'file', message: 'required' }] },
      });
    }
    const formatField = form.get('format');
    const format =
      override ??
      (typeof formatField === 'string' && (ingestFormats as readonly string[]).includes(formatField)
        ? (formatField as IngestFormat)
        : undefined) ??
      formatOfType[file.type.split(';')[0]?.trim() ?? ''] ??
      formatFromFileName(file.name);
    if (!format) throw unsupported(file.type || file.name);
    const mappingField = form.get('column_mapping');
    const partMapping = typeof mappingField === 'string' ? parseMapping(mappingField) : undefined;
    const ignoredField = form.get('ignore_columns');
    const partIgnored = typeof ignoredField === 'string' ? parseIgnored(ignoredField) : undefined;
    const upload = withMapping({ data: new Uint8Array(await file.arrayBuffer()), format });
    return {
      ...upload,
      ...(partMapping ? { columnMapping: partMapping } : {}),
      ...(partIgnored ? { ignoreColumns: partIgnored } : {}),
    };
  }
  const format = override ?? formatOfType[type];
  if (
    !format ||
    (override && !formatOfType[type] && type !== 'application/octet-stream' && type !== 'text/plain')
  ) {
    throw unsupported(type);
  }
  // CSV and TSV stay bytes too: the engine hands them to DuckDB as they came (and decodes them
  // as `text()` would when it reads them itself).
  const binary =
    format === 'parquet' ||
    format === 'arrow' ||
    format === 'servicenow' ||
    format === 'csv' ||
    format === 'tsv';
  return withMapping({
    data: binary ? new Uint8Array(await c.req.arrayBuffer()) : await c.req.text(),
    format,
  });
}

function unsupported(type: string): ApiError {
  return new ApiError(415, `Unsupported media type "${type || '(none)'}" for a bulk upload.`, {
    details: { accepted: [...Object.keys(formatOfType), 'multipart/form-data'] },
  });
}

/**
 * Reads a JSON-valued parameter; a value that is not JSON or fails `valid` is a 400 naming the
 * parameter and saying what it must be.
 */
function parseJsonParameter<T>(
  text: string | undefined,
  parameter: string,
  mustBe: string,
  valid: (value: unknown) => boolean,
): T | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!valid(value)) {
    throw new ApiError(400, `Invalid parameter ${parameter}: must be ${mustBe}`, {
      code: 'VALIDATION_ERROR',
      details: { parameter },
    });
  }
  return value as T;
}

function parseMapping(text: string | undefined): ColumnMapping | undefined {
  return parseJsonParameter<ColumnMapping>(
    text,
    'column_mapping',
    'a JSON object of strings',
    (v) =>
      !!v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => typeof x === 'string'),
  );
}

function parseIgnored(text: string | undefined): readonly string[] | undefined {
  return parseJsonParameter<string[]>(
    text,
    'ignore_columns',
    'a JSON array of column names',
    (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0),
  );
}
