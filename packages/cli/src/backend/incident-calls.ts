import { existsSync, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import {
  type ColumnMapping,
  EngineError,
  type IncidentCoverage,
  type IncidentInput,
  type IngestFormat,
  type IngestProgress,
  type IngestReport,
} from '@incident-insights/engine';
import type { Backend } from './backend.ts';

/** A file to ingest, as `insights ingest` takes it. */
export interface FileIngest {
  readonly path: string;
  readonly format?: IngestFormat;
  readonly columnMapping?: ColumnMapping;
  readonly ignoreColumns?: readonly string[];
  readonly skipInvalid: boolean;
}

/** The incident list's JSON page, as far as the coverage needs it. */
interface IncidentPage {
  readonly count: number;
  readonly results: readonly { readonly created_at: string }[];
}

/**
 * Ingests a file: alone, the engine reads it in place; beside a server, it is sent to
 * `POST /api/incidents/bulk/` as the `file` part of a multipart form (the format from its name, as
 * the engine would tell it, or `--format`; the mapping and the columns to ignore as their own
 * parts). Either way the report is the engine's, and so is an error (same code, message, details).
 */
export async function ingestFile(
  backend: Backend,
  source: FileIngest,
  onProgress?: (progress: IngestProgress) => void,
): Promise<IngestReport> {
  const { skipInvalid, ...file } = source;
  if (backend.kind === 'engine') {
    return backend.engine.incidents.ingest(file, { skipInvalid, ...(onProgress ? { onProgress } : {}) });
  }
  if (!existsSync(file.path)) {
    throw new EngineError('NOT_FOUND', `file ${file.path} was not found`, { path: file.path });
  }
  const form = new FormData();
  form.append('file', await openAsBlob(file.path), basename(file.path));
  if (file.format) form.append('format', file.format);
  if (file.columnMapping) form.append('column_mapping', JSON.stringify(file.columnMapping));
  if (file.ignoreColumns) form.append('ignore_columns', JSON.stringify(file.ignoreColumns));
  return backend.server.request<IngestReport>('POST', '/api/incidents/bulk/', {
    body: form,
    query: { skip_invalid: skipInvalid },
  });
}

/** Incidents sent to a server in one request by {@link ingestRecords}. */
const recordsPerRequest = 5000;

/**
 * Ingests JS records (the demo's synthetic incidents): alone through the engine in one call; beside
 * a server as NDJSON, {@link recordsPerRequest} a request (each request an upsert by external id,
 * so the sum of the reports is the report of one call). `onRecord` is called with the count so far.
 */
export async function ingestRecords(
  backend: Backend,
  records: Iterable<IncidentInput>,
  onRecords: (sent: number) => void,
): Promise<IngestReport> {
  if (backend.kind === 'engine')
    return backend.engine.incidents.ingest({ records: counted(records, onRecords) });
  const total = { received: 0, inserted: 0, updated: 0, skipped: 0, errors: [] as IngestReport['errors'] };
  let lines: string[] = [];
  const send = async () => {
    const report = await backend.server.request<IngestReport>('POST', '/api/incidents/bulk/', {
      body: `${lines.join('\n')}\n`,
      contentType: 'application/x-ndjson',
    });
    total.received += report.received;
    total.inserted += report.inserted;
    total.updated += report.updated;
    total.skipped += report.skipped;
    onRecords(total.received);
    lines = [];
  };
  for (const record of records) {
    lines.push(JSON.stringify(record));
    if (lines.length >= recordsPerRequest) await send();
  }
  if (lines.length > 0) await send();
  return total;
}

function* counted<T>(records: Iterable<T>, onRecords: (seen: number) => void): Generator<T> {
  let seen = 0;
  for (const record of records) {
    yield record;
    seen += 1;
    if (seen % 1000 === 0) onRecords(seen);
  }
  onRecords(seen);
}

/** How many incidents the database holds and when the first and last were created. */
export async function coverageOf(backend: Backend): Promise<IncidentCoverage> {
  if (backend.kind === 'engine') return backend.engine.incidents.coverage();
  const first = await backend.server.request<IncidentPage>('GET', '/api/incidents/', {
    query: { ordering: 'created_at', page_size: 1 },
  });
  const last = await backend.server.request<IncidentPage>('GET', '/api/incidents/', {
    query: { ordering: '-created_at', page_size: 1 },
  });
  const firstAt = first.results[0]?.created_at;
  const lastAt = last.results[0]?.created_at;
  return {
    count: first.count,
    firstCreatedAt: firstAt ? new Date(firstAt) : null,
    lastCreatedAt: lastAt ? new Date(lastAt) : null,
  };
}

/** Number of stored incidents. */
export async function countIncidents(backend: Backend): Promise<number> {
  if (backend.kind === 'engine') return backend.engine.incidents.count();
  return (await backend.server.request<IncidentPage>('GET', '/api/incidents/', { query: { page_size: 1 } }))
    .count;
}
