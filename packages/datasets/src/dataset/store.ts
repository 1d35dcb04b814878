/**
 * How examples are held. 8-bit images stay as bytes (CIFAR-10's 50,000 training images are 150 MB as
 * bytes, 600 MB as float32) and are decoded to float32 only when a batch is gathered. The decode is an
 * affine map value = scale · raw + offset, so rescaling to [-1, 1] costs nothing: it folds into the map.
 *
 * The raw rows are an array in memory, or a `RowSource` that reads the rows a batch asks for from
 * somewhere else (a file on disk, for data sets larger than memory; see the Node entry's user-data loaders).
 */

/** Rows read on demand: `read(rows, out)` fills `out` with the raw values of store rows `rows`, in order. */
export interface RowSource {
  /** Number of rows. */
  readonly rows: number;
  /** Raw element type: bytes (8-bit pixels) or float32. */
  readonly dtype: 'uint8' | 'float32';
  /** Fills `out` (rows.length · rowSize values of `dtype`) with the rows; synchronous. */
  read(rows: ArrayLike<number>, out: Uint8Array | Float32Array): void;
}

export interface ExampleStore {
  /** Rows of `rowSize` raw values, one row per example, in memory or read on demand. */
  readonly data: Float32Array | Uint8Array | RowSource;
  readonly rowSize: number;
  readonly scale: number;
  readonly offset: number;
}

export function isRowSource(data: ExampleStore['data']): data is RowSource {
  return !ArrayBuffer.isView(data);
}

/** The store for 8-bit pixels read as byte / 255 ∈ [0, 1]. */
export function byteStore(data: Uint8Array | RowSource, rowSize: number): ExampleStore {
  return { data, rowSize, scale: 1 / 255, offset: 0 };
}

export function storeRows(store: ExampleStore): number {
  return isRowSource(store.data) ? store.data.rows : store.data.length / store.rowSize;
}

/**
 * The raw values of store rows `rows` (row i of the result is store row rows[i]) and where row i starts:
 * in-memory stores give their own array (rows in place), row sources a fresh array of the rows in order.
 */
export function rawRows(
  store: ExampleStore,
  rows: ArrayLike<number>,
): { raw: Float32Array | Uint8Array; start: (i: number) => number } {
  const { data, rowSize } = store;
  if (!isRowSource(data)) return { raw: data, start: (i) => rows[i] * rowSize };
  const raw =
    data.dtype === 'uint8' ? new Uint8Array(rows.length * rowSize) : new Float32Array(rows.length * rowSize);
  data.read(rows, raw);
  return { raw, start: (i) => i * rowSize };
}

/** Decodes store rows `rows` into `out` (row i of the result is store row rows[i]). */
export function gatherRows(store: ExampleStore, rows: ArrayLike<number>, out: Float32Array): void {
  const { rowSize, scale, offset } = store;
  const identity = scale === 1 && offset === 0;
  if (identity && isRowSource(store.data) && store.data.dtype === 'float32') {
    store.data.read(rows, out.subarray(0, rows.length * rowSize));
    return;
  }
  const { raw, start } = rawRows(store, rows);
  for (let i = 0; i < rows.length; i++) {
    const from = start(i);
    const to = i * rowSize;
    if (identity && raw instanceof Float32Array) {
      out.set(raw.subarray(from, from + rowSize), to);
    } else {
      for (let j = 0; j < rowSize; j++) out[to + j] = scale * raw[from + j] + offset;
    }
  }
}
