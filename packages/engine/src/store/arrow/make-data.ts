import * as arrow from 'apache-arrow';

/** The buffers of one Arrow column, as `makeData` takes them. */
export interface ArrowDataProps {
  readonly type: arrow.DataType;
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap?: Uint8Array | undefined;
  readonly data?: ArrayBufferView | undefined;
  readonly valueOffsets?: Int32Array | undefined;
  readonly child?: arrow.Data | undefined;
  readonly children?: arrow.Data[] | undefined;
  readonly dictionary?: arrow.Vector | undefined;
}

/**
 * `arrow.makeData` over one loosely typed props object: the bridge picks the Arrow type at run
 * time from DuckDB's column types, which the overloads of `makeData` cannot follow.
 */
export function arrowData(props: ArrowDataProps): arrow.Data {
  return arrow.makeData({ offset: 0, ...props } as unknown as Parameters<typeof arrow.makeData>[0]);
}
