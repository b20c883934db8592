import type { IncidentInput } from '../schema/incident.ts';

/**
 * A file or payload format the ingester reads. `tsv` is CSV with tabs between fields;
 * `servicenow` is the zipped (or plain) CSV event log.
 */
export type IngestFormat = 'json' | 'ndjson' | 'csv' | 'tsv' | 'parquet' | 'arrow' | 'servicenow';

/** Every {@link IngestFormat}, for option parsing. */
export const ingestFormats: readonly IngestFormat[] = [
  'json',
  'ndjson',
  'csv',
  'tsv',
  'parquet',
  'arrow',
  'servicenow',
];

/**
 * Maps incident fields to source column names (`{ title: 'Short description' }`). Fields left out
 * are read from the column of the same name (compared case-insensitively, spaces and dashes as `_`).
 */
export type ColumnMapping = Readonly<Record<string, string>>;

/**
 * Source columns (tabular sources) or keys (JSON, NDJSON) to leave unread, by name (compared as
 * {@link ColumnMapping} headers are). Without it a column that is neither an incident field nor
 * mapped to one is refused, and so is a key that is not an incident field.
 */
export type IgnoredColumns = readonly string[];

/**
 * Where incidents come from: JS objects (an iterable or async iterable), a file (format from the
 * extension when not given, by `formatFromFileName`: `.json`, `.ndjson`/`.jsonl`, `.csv`, `.tsv`,
 * `.parquet`/`.pq`, `.arrow`/`.arrows`/`.ipc`/`.feather`, `.zip` for the ServiceNow event log), or bytes/text in memory (an HTTP body). Every key of a
 * record and every column of a table must be an incident field, mapped to one, or ignored by name;
 * the ServiceNow log is read by its own fixed layout and its other columns are not read.
 */
export type IngestSource =
  | { readonly records: Iterable<IncidentInput> | AsyncIterable<IncidentInput> }
  | {
      readonly path: string;
      readonly format?: IngestFormat;
      readonly columnMapping?: ColumnMapping;
      readonly ignoreColumns?: IgnoredColumns;
    }
  | {
      readonly data: Uint8Array | string;
      readonly format: IngestFormat;
      readonly columnMapping?: ColumnMapping;
      readonly ignoreColumns?: IgnoredColumns;
    };

/** Options of an ingest call. */
export interface IngestOptions {
  /** Write the valid rows and report the invalid ones instead of writing nothing. Default false. */
  readonly skipInvalid?: boolean;
  /**
   * Called after each batch read and validated, with the records read so far (`phase: 'reading'`),
   * and once before the staged rows are merged into the incidents (`phase: 'merging'`).
   */
  readonly onProgress?: (progress: IngestProgress) => void;
}

/** How far an ingest has got (see {@link IngestOptions.onProgress}). */
export interface IngestProgress {
  readonly phase: 'reading' | 'merging';
  /** Records read from the source so far. */
  readonly received: number;
}

/** What is wrong with one source row. */
export interface RowError {
  /** 1-based position of the record in the source (data rows, not counting a CSV header). */
  readonly row: number;
  /** 1-based line in a text source (CSV, NDJSON, ServiceNow CSV) where the record is. */
  readonly line?: number;
  /** The incident field at fault, or `(record)` when the record as a whole is unreadable. */
  readonly field: string;
  /** Why, in words. */
  readonly message: string;
}

/** The outcome of an ingest call. */
export interface IngestReport {
  /** Records read from the source. */
  readonly received: number;
  /** Incidents created (external ids not seen before). */
  readonly inserted: number;
  /** Incidents that already existed (same external id) and were overwritten. */
  readonly updated: number;
  /** Invalid records left out (only with `skipInvalid`). */
  readonly skipped: number;
  /** Row-level errors of the skipped records (at most {@link maxReportedErrors}). */
  readonly errors: RowError[];
}

/** Row errors kept in a report or an error's details; the count in the message is always complete. */
export const maxReportedErrors = 1000;

/**
 * A slice of a source as raw records, before validation. Records are numbered consecutively from
 * `firstRow`; `lines[i]` is the text line of record `i` when the source has lines.
 */
export interface RawBatch {
  readonly records: readonly unknown[];
  readonly firstRow: number;
  readonly lines?: readonly number[];
  /** Source row of each record when they are not consecutive (overrides `firstRow`). */
  readonly rows?: readonly number[];
  /**
   * Records the reader checked and staged itself (vectorised, in SQL), counted as received and
   * valid; they are not in `records`.
   */
  readonly prestaged?: number;
}

/** Records per raw batch the readers aim for. */
export const batchSize = 8192;
