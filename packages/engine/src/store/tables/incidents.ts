import { incidentColumnDdl } from '../../schema/incident.ts';

/**
 * The incident table follows the incident column definitions. No unique index on external_id:
 * ingestion upserts with MERGE on it, which keeps bulk loads of millions of rows fast.
 */
export const incidentTables = [
  `CREATE TABLE incidents (
    ${incidentColumnDdl().join(',\n    ')},
    ingested_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
  )`,
];
