import type { FieldSource } from '../column-mapping.ts';

/**
 * Builds an incident object from one row of a tabular source (CSV, Parquet, Arrow) given where each
 * field lives. Text sources have no nulls, so there an empty cell means "no value" and a tag cell
 * is a JSON array or a `;`-separated list.
 */
export function tabularRecord(
  values: readonly unknown[],
  sources: readonly FieldSource[],
  textual: boolean,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const { field, kind, index } of sources) {
    let value = values[index];
    if (textual && typeof value === 'string') {
      if (value === '') value = null;
      else if (kind === 'text[]') value = splitTags(value);
    }
    record[field] = value;
  }
  return record;
}

function splitTags(cell: string): unknown {
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return cell;
    }
  }
  return text
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}
