/**
 * NumPy's .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): the magic
 * `\x93NUMPY`, a version byte pair (1.0, 2.0 or 3.0), the header length (uint16 LE in v1, uint32 LE in v2
 * and v3), an ASCII (v3: UTF-8) Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape':
 * (N, D), }`, then the elements. Numeric dtypes of either byte order are read into float32; '|u1' stays
 * bytes (8-bit images). Fortran-ordered arrays are transposed to C order when parsed whole.
 */
import { DataError } from '@genzoo/core';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export interface NpyHeader {
  version: [number, number];
  /** The dtype as written, e.g. `<f4`. */
  descr: string;
  kind: 'f' | 'i' | 'u' | 'b';
  itemSize: number;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** Number of elements. */
  count: number;
  /** Byte offset of the first element. */
  dataOffset: number;
}

export interface NpyArray {
  header: NpyHeader;
  shape: number[];
  /** Elements in C order: bytes for '|u1', else float32. */
  values: Uint8Array | Float32Array;
}

const SUPPORTED =
  "'<f4', '<f8', '|u1', '|i1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8', '|b1' ('>' for big-endian)";

/** Reads and checks the header; `bytes` needs to hold at least the header (the file's first bytes). */
export function parseNpyHeader(bytes: Uint8Array, file = 'npy data'): NpyHeader {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new DataError(`${file}: not a .npy file (it does not start with the magic \\x93NUMPY)`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) throw new DataError(`${file}: unsupported .npy version ${major}.${minor}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major > 1 && bytes.length < 12) throw new DataError(`${file}: truncated .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const dataOffset = start + headerLength;
  if (bytes.length < dataOffset) {
    throw new DataError(
      `${file}: truncated .npy header (${headerLength} bytes announced, ${bytes.length - start} present)`,
    );
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataOffset));
  const descrMatch = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortranMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descrMatch || !fortranMatch || !shapeMatch) {
    throw new DataError(
      `${file}: corrupt .npy header (needs 'descr' as a simple dtype string, 'fortran_order' and 'shape'): ${text.trim()}`,
    );
  }
  const descr = descrMatch[1];
  const dtype = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const kind = dtype?.[2] as NpyHeader['kind'] | undefined;
  const itemSize = dtype ? Number(dtype[3]) : 0;
  const ok =
    dtype &&
    ((kind === 'f' && (itemSize === 4 || itemSize === 8)) ||
      ((kind === 'i' || kind === 'u') && [1, 2, 4, 8].includes(itemSize)) ||
      (kind === 'b' && itemSize === 1));
  if (!ok || !kind)
    throw new DataError(`${file}: unsupported .npy dtype '${descr}'; supported: ${SUPPORTED}`);
  const shapeText = shapeMatch[1].trim();
  const shape =
    shapeText === ''
      ? []
      : shapeText
          .split(',')
          .filter((s) => s.trim() !== '')
          .map((s) => Number(s.trim()));
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new DataError(`${file}: corrupt .npy shape (${shapeText})`);
  }
  return {
    version: [major, minor],
    descr,
    kind,
    itemSize,
    littleEndian: dtype[1] !== '>',
    fortranOrder: fortranMatch[1] === 'True',
    shape,
    count: shape.reduce((a, b) => a * b, 1),
    dataOffset,
  };
}

/** Decodes `count` elements of `header`'s dtype from `body` (raw element bytes) into `out` at `at`. */
export function decodeNpyElements(
  header: NpyHeader,
  body: Uint8Array,
  count: number,
  out: Uint8Array | Float32Array,
  at = 0,
): void {
  const { kind, itemSize, littleEndian: le } = header;
  if (kind === 'u' && itemSize === 1) {
    out.set(body.subarray(0, count), at);
    return;
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const read: (offset: number) => number =
    kind === 'f'
      ? itemSize === 4
        ? (o) => view.getFloat32(o, le)
        : (o) => view.getFloat64(o, le)
      : kind === 'b'
        ? (o) => (view.getUint8(o) !== 0 ? 1 : 0)
        : kind === 'i'
          ? ([
              0,
              (o: number) => view.getInt8(o),
              (o: number) => view.getInt16(o, le),
              0,
              (o: number) => view.getInt32(o, le),
              0,
              0,
              0,
              (o: number) => Number(view.getBigInt64(o, le)),
            ][itemSize] as (o: number) => number)
          : ([
              0,
              (o: number) => view.getUint8(o),
              (o: number) => view.getUint16(o, le),
              0,
              (o: number) => view.getUint32(o, le),
              0,
              0,
              0,
              (o: number) => Number(view.getBigUint64(o, le)),
            ][itemSize] as (o: number) => number);
  for (let i = 0; i < count; i++) out[at + i] = read(i * itemSize);
}

/** C-order copy of a Fortran-order array of `shape`. */
function fortranToC<T extends Uint8Array | Float32Array>(values: T, shape: number[]): T {
  const out = new (values.constructor as { new (n: number): T })(values.length);
  const n = shape.length;
  const index = new Array<number>(n).fill(0);
  for (let c = 0; c < values.length; c++) {
    // c walks C order; its Fortran offset is Σ index[k]·Π_{j<k} shape[j].
    let f = 0;
    let stride = 1;
    for (let k = 0; k < n; k++) {
      f += index[k] * stride;
      stride *= shape[k];
    }
    out[c] = values[f];
    for (let k = n - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

/** The whole array: header checked, byte count checked, elements in C order ('|u1' as bytes, else float32). */
export function parseNpy(bytes: Uint8Array, file = 'npy data'): NpyArray {
  const header = parseNpyHeader(bytes, file);
  const needed = header.count * header.itemSize;
  const present = bytes.length - header.dataOffset;
  if (present !== needed) {
    throw new DataError(
      `${file}: shape (${header.shape.join(', ')}) of '${header.descr}' needs ${needed} data bytes, the file has ${present}` +
        (present < needed ? ' (truncated)' : ''),
    );
  }
  const bytesOut = header.kind === 'u' && header.itemSize === 1;
  let values: Uint8Array | Float32Array = bytesOut
    ? new Uint8Array(header.count)
    : new Float32Array(header.count);
  decodeNpyElements(header, bytes.subarray(header.dataOffset), header.count, values);
  if (header.fortranOrder && header.shape.length > 1) values = fortranToC(values, header.shape);
  return { header, shape: header.shape, values };
}
