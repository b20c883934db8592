/**
 * Stands in a batch for a record that could not be read at all (bad JSON on an NDJSON line, a CSV
 * line with the wrong number of fields), so that it keeps its row number and is reported like any
 * invalid record.
 */
export class UnreadableRecord {
  constructor(readonly message: string) {}
}
