/**
 * The tensor files: raw little-endian float32/int32 values, tensor after tensor, each located by a
 * TensorSpec (name, shape, dtype, offset, byteLength) in the manifest; a CRC-32 of the file catches
 * corruption that sizes alone would not. Tensors may not overlap, so unpacking a file never takes more
 * memory than the file itself, whatever the manifest says.
 */
import { CheckpointError } from '../errors.js';
import type { HostTensor } from './host-tensor.js';
import type { TensorSpec } from './manifest.js';

export interface PackedTensors {
  specs: TensorSpec[];
  bytes: Uint8Array;
}

/** Whether typed arrays on this host are little-endian (every platform tfjs runs on is). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new CheckpointError('checkpoints are little-endian; this host is big-endian');
}

/** The bytes of `parts` one after another, in a new array of exactly `length` bytes. */
export function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Concatenates tensors into one buffer, with their specs (offsets relative to the buffer). */
export function packTensors(entries: ReadonlyArray<readonly [string, HostTensor]>): PackedTensors {
  assertLittleEndian();
  const specs: TensorSpec[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of entries) {
    if (tensor.values.length !== elementCount(tensor.shape)) {
      throw new CheckpointError(
        `"${name}": ${tensor.values.length} values for shape [${tensor.shape.join(', ')}]`,
      );
    }
    const chunk = new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength);
    specs.push({ name, shape: [...tensor.shape], dtype: tensor.dtype, offset, byteLength: chunk.byteLength });
    chunks.push(chunk);
    offset += chunk.byteLength;
  }
  return { specs, bytes: concatBytes(chunks, offset) };
}

/** Reads one tensor back, checking its spec against the file. `file` names the file in errors. */
export function unpackTensor(bytes: Uint8Array, spec: TensorSpec, file: string): HostTensor {
  assertLittleEndian();
  const expected = elementCount(spec.shape) * 4;
  if (spec.byteLength !== expected) {
    throw new CheckpointError(
      `${file}: "${spec.name}" of shape [${spec.shape.join(', ')}] should take ${expected} bytes, the manifest says ${spec.byteLength}`,
    );
  }
  if (spec.offset + spec.byteLength > bytes.byteLength) {
    throw new CheckpointError(
      `${file}: "${spec.name}" lies at bytes ${spec.offset}..${spec.offset + spec.byteLength}, past the end of the file (${bytes.byteLength} bytes)`,
    );
  }
  // Copy into a fresh, 4-byte-aligned buffer: the file buffer may be unaligned and is discarded anyway.
  const copy = new Uint8Array(spec.byteLength);
  copy.set(bytes.subarray(spec.offset, spec.offset + spec.byteLength));
  const values = spec.dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
  return { shape: [...spec.shape], dtype: spec.dtype, values };
}

/**
 * Throws unless the specs' byte ranges are disjoint. Without this a hostile manifest could list the same
 * large range many times and make unpacking copy it over and over.
 */
export function assertDisjoint(specs: readonly TensorSpec[], file: string): void {
  const sorted = [...specs].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const [before, after] = [sorted[i - 1], sorted[i]];
    if (before.offset + before.byteLength > after.offset) {
      throw new CheckpointError(
        `${file}: tensors "${before.name}" (bytes ${before.offset}..${before.offset + before.byteLength}) and ` +
          `"${after.name}" (bytes ${after.offset}..${after.offset + after.byteLength}) overlap`,
      );
    }
  }
}

/**
 * How many of `values` are NaN or ±Infinity (int32 values never are). Loading refuses checkpoints with
 * any, and a writer can use it to refuse to save them.
 */
export function nonFiniteCount(values: Float32Array | Int32Array): number {
  if (values instanceof Int32Array) return 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
  return count;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as in zlib and PNG). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
