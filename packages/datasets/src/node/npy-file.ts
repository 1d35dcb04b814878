/**
 * `npy`: a .npy file of examples, (N, D) vectors or (N, H, W) / (N, H, W, C) images, optionally with a
 * second .npy of labels (`labelsPath`). '|u1' data is 8-bit (the image options of the built-in sets
 * apply); other dtypes are float vectors described by their observed range. Streamed, each batch reads its
 * rows at their file offsets (C order: a row is contiguous).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, DataError } from '@genzoo/core';
import type { RowSource } from '../dataset/store.js';
import { decodeNpyElements, type NpyHeader, parseNpy, parseNpyHeader } from '../formats/npy.js';
import type { Splits } from '../registry/splits.js';
import { npyLabels, valueRange } from '../user/browser.js';
import type { NpyFileOptions } from '../user/options.js';
import { userImageSplits, userVectorSplits } from '../user/splits.js';
import { userFile } from './csv-file.js';
import { checkFingerprint, Fingerprint, forEachChunk, shouldStream, withFile } from './files.js';

function readHeader(path: string, size: number): NpyHeader {
  return withFile(path, (readAt) => {
    const start = readAt(0, Math.min(size, 12));
    if (start.length < 10) return parseNpyHeader(start, path);
    const view = new DataView(start.buffer, start.byteOffset, start.byteLength);
    const major = start[6];
    const headerEnd =
      major === 1 ? 10 + view.getUint16(8, true) : 12 + (start.length >= 12 ? view.getUint32(8, true) : 0);
    if (headerEnd > size) return parseNpyHeader(readAt(0, size), path);
    return parseNpyHeader(readAt(0, headerEnd), path);
  });
}

function npyRows(path: string, header: NpyHeader, rowSize: number): RowSource {
  const rowBytes = rowSize * header.itemSize;
  return {
    rows: header.shape[0],
    dtype: header.kind === 'u' && header.itemSize === 1 ? 'uint8' : 'float32',
    read(rows, out) {
      withFile(path, (readAt) => {
        for (let i = 0; i < rows.length; i++) {
          const body = readAt(header.dataOffset + rows[i] * rowBytes, rowBytes);
          decodeNpyElements(header, body, rowSize, out, i * rowSize);
        }
      });
    },
  };
}

/** Observed range of a float row source, read a chunk of rows at a time. */
function sourceRange(source: RowSource, rowSize: number, what: string): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const chunkRows = Math.max(1, Math.floor(262_144 / rowSize));
  for (let first = 0; first < source.rows; first += chunkRows) {
    const count = Math.min(chunkRows, source.rows - first);
    const chunk = new Float32Array(count * rowSize);
    source.read(
      Int32Array.from({ length: count }, (_, i) => first + i),
      chunk,
    );
    let range: [number, number];
    try {
      range = valueRange(chunk, rowSize, what);
    } catch (error) {
      (error as Error).message = (error as Error).message.replace(
        /example (\d+)/,
        (_, n) => `example ${first + Number(n)}`,
      );
      throw error;
    }
    lo = Math.min(lo, range[0]);
    hi = Math.max(hi, range[1]);
  }
  return [lo, hi];
}

export async function loadNpyFile(options: NpyFileOptions): Promise<Splits> {
  const { path, size } = userFile('npy', 'path', options.path);
  const header = readHeader(path, size);
  const { shape } = header;
  if (shape.length < 2 || shape.length > 4 || shape[0] === 0) {
    throw new DataError(
      `${path}: shape (${shape.join(', ')}) is not examples: expected (N, D), (N, H, W) or (N, H, W, C) with N > 0`,
    );
  }
  const expected = header.dataOffset + header.count * header.itemSize;
  if (size !== expected) {
    throw new DataError(
      `${path}: shape (${shape.join(', ')}) of '${header.descr}' needs ${expected} bytes, the file has ${size}` +
        (size < expected ? ' (truncated)' : ''),
    );
  }
  const count = shape[0];
  const eventShape =
    shape.length === 2 ? [shape[1]] : shape.length === 3 ? [shape[1], shape[2], 1] : shape.slice(1);
  const rowSize = header.count / count;
  const bytes = header.kind === 'u' && header.itemSize === 1;
  const stream = shouldStream(options, header.count * (bytes ? 1 : 4));
  if (stream && header.fortranOrder) {
    throw new ConfigError(
      `${path}: a Fortran-order array cannot be streamed (its rows are not contiguous); save it in C order ` +
        '(np.ascontiguousarray) or load it into memory (stream: false)',
    );
  }

  const fingerprint = new Fingerprint();
  let values: Uint8Array | Float32Array | RowSource;
  if (stream) {
    fingerprint.begin('data', size);
    forEachChunk(path, (chunk) => fingerprint.update(chunk));
    values = npyRows(path, header, rowSize);
  } else {
    const file = new Uint8Array(readFileSync(path));
    fingerprint.add('data', file);
    values = parseNpy(file, path).values;
  }
  let labels: Int32Array | undefined;
  let labelsPath: string | undefined;
  if (options.labelsPath) {
    const labelFile = userFile('npy', 'labelsPath', options.labelsPath);
    labelsPath = labelFile.path;
    const labelBytes = new Uint8Array(readFileSync(labelsPath));
    fingerprint.add('labels', labelBytes);
    labels = npyLabels(labelBytes, labelsPath, count);
  }
  const found = fingerprint.digest();
  checkFingerprint(options.fingerprint, found, `npy ${path}`, `${fingerprint.bytes} bytes`);
  const numClasses = labels ? labels.reduce((m, l) => Math.max(m, l), 0) + 1 : undefined;
  const recorded = { path, ...(labelsPath ? { labelsPath } : {}), fingerprint: found };
  if (bytes) {
    const splits = userImageSplits(
      'npy',
      { count, pixels: values as Uint8Array | RowSource, ...(labels ? { labels } : {}) },
      undefined,
      eventShape,
      numClasses,
      undefined,
      options,
    );
    return { ...splits, recorded };
  }
  const floats = values as Float32Array | RowSource;
  const observed = ArrayBuffer.isView(floats)
    ? valueRange(floats, rowSize, path)
    : sourceRange(floats, rowSize, path);
  const splits = userVectorSplits(
    'npy',
    { count, values: floats, ...(labels ? { labels } : {}) },
    eventShape,
    numClasses,
    observed,
    options,
  );
  return { ...splits, recorded };
}
