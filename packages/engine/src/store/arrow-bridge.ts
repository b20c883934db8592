/**
 * The Arrow bridge: DuckDB query results as Arrow tables built from DuckDB's vectors, and Arrow
 * tables written back through DuckDB's appender. Capability services use it to hand columns to
 * kernels and workers (see ARCHITECTURE.md, rule 3).
 */
export { appendArrow } from './arrow/append-arrow.ts';
export { incidentArrowSchema } from './arrow/incident-arrow-schema.ts';
export { queryArrow, resultToArrow } from './arrow/query-arrow.ts';
