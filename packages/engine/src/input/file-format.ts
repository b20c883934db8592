import type { IngestFormat } from '../ingest/types.ts';

/**
 * Ingest format of each file name extension, for the CLI's `ingest <file>`, the library's
 * `{ path }` source and the file part of an HTTP bulk upload alike.
 */
const formatByExtension: Readonly<Record<string, IngestFormat>> = {
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  parquet: 'parquet',
  pq: 'parquet',
  arrow: 'arrow',
  arrows: 'arrow',
  ipc: 'arrow',
  feather: 'arrow',
  zip: 'servicenow',
};

/** Every file name extension {@link formatFromFileName} knows, with its dot (`.csv`). */
export const ingestFileExtensions: readonly string[] = Object.keys(formatByExtension).map((e) => `.${e}`);

/**
 * The ingest format a file name (or path) implies by its extension, case-insensitively: `.json`;
 * `.ndjson`, `.jsonl`; `.csv`; `.tsv`, `.tab`; `.parquet`, `.pq`; `.arrow`, `.arrows`, `.ipc`,
 * `.feather`; `.zip` (the ServiceNow event log). Undefined for any other name.
 */
export function formatFromFileName(name: string): IngestFormat | undefined {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return formatByExtension[base.slice(dot + 1).toLowerCase()];
}
