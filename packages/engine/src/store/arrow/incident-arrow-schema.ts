import * as arrow from 'apache-arrow';
import { type ColumnKind, type IncidentColumn, incidentColumns } from '../../schema/incident.ts';

const arrowTypes: Record<ColumnKind, () => arrow.DataType> = {
  uuid: () => new arrow.Utf8(),
  text: () => new arrow.Utf8(),
  enum: () => new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
  timestamp: () => new arrow.TimestampMicrosecond('UTC'),
  int: () => new arrow.Int32(),
  'text[]': () => new arrow.List(new arrow.Field('item', new arrow.Utf8(), true)),
};

/**
 * The Arrow schema of an incident batch, derived from `incidentColumns` (the single incident
 * definition) in column order: UUIDs as their text (Utf8), free text as Utf8, enums (severity,
 * priority, status) as `Dictionary<Utf8, Int32>`, instants as `Timestamp(MICROSECOND, 'UTC')`,
 * counts as Int32 and tags as `List<Utf8>`. A field is non-nullable where the table column is
 * NOT NULL. Each field carries its column's description as `description` metadata.
 *
 * {@link queryArrow} on the incident table yields the same types, except that a low-cardinality
 * text column (category, service, ...) comes back dictionary-encoded.
 */
export function incidentArrowSchema(): arrow.Schema {
  return new arrow.Schema(
    incidentColumns.map((c) => {
      const column = c as IncidentColumn;
      const notNull = column.required || column.name === 'id' || column.name === 'external_id';
      return new arrow.Field(
        column.name,
        arrowTypes[column.kind](),
        !notNull,
        new Map([['description', column.description]]),
      );
    }),
  );
}
