/**
 * How examples are held in memory. 8-bit images stay as bytes (CIFAR-10's 50,000 training images are 150 MB
 * as bytes, 600 MB as float32) and are decoded to float32 only when a batch is gathered. The decode is an
 * affine map value = scale · raw + offset, so rescaling to [-1, 1] costs nothing: it folds into the map.
 */

export interface ExampleStore {
  /** Rows of `rowSize` raw values, one row per example. */
  readonly data: Float32Array | Uint8Array;
  readonly rowSize: number;
  readonly scale: number;
  readonly offset: number;
}

/** The store for 8-bit pixels read as byte / 255 ∈ [0, 1]. */
export function byteStore(data: Uint8Array, rowSize: number): ExampleStore {
  return { data, rowSize, scale: 1 / 255, offset: 0 };
}

export function storeRows(store: ExampleStore): number {
  return store.data.length / store.rowSize;
}

/** Decodes store rows `rows` into `out` (row i of the result is store row rows[i]). */
export function gatherRows(store: ExampleStore, rows: ArrayLike<number>, out: Float32Array): void {
  const { data, rowSize, scale, offset } = store;
  const identity = scale === 1 && offset === 0;
  for (let i = 0; i < rows.length; i++) {
    const from = rows[i] * rowSize;
    const to = i * rowSize;
    if (identity && data instanceof Float32Array) {
      out.set(data.subarray(from, from + rowSize), to);
    } else {
      for (let j = 0; j < rowSize; j++) out[to + j] = scale * data[from + j] + offset;
    }
  }
}
