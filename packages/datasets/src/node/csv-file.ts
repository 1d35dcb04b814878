/**
 * `csv`: a numeric CSV file (see formats/csv.ts). One indexing pass reads the file in chunks: it checks
 * every cell, takes the labels and the observed range, fingerprints the bytes and records where each line
 * starts. The rows are then read into memory, or, streamed, read from those offsets batch by batch.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, DataError } from '@genzoo/core';
import type { RowSource } from '../dataset/store.js';
import { type CsvLayout, csvLabels, csvLayout, parseCsvRow } from '../formats/csv.js';
import type { Splits } from '../registry/splits.js';
import type { CsvFileOptions } from '../user/options.js';
import { userVectorSplits } from '../user/splits.js';
import { checkFingerprint, Fingerprint, forEachChunk, type ReadAt, shouldStream, withFile } from './files.js';

/** Resolves a user-data file option: it must name an existing regular file. */
export function userFile(
  dataset: string,
  key: string,
  path: string | undefined,
): { path: string; size: number } {
  if (!path)
    throw new ConfigError(`${dataset} needs the file: the ${key} option (CLI: --set data.${key}=<file>)`);
  const full = resolve(path);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(full);
  } catch {
    throw new ConfigError(`${dataset}: ${full} does not exist`);
  }
  if (!stat.isFile()) throw new ConfigError(`${dataset}: ${full} is not a file`);
  return { path: full, size: stat.size };
}

interface CsvIndex {
  layout: CsvLayout;
  /** Byte offset and length of each data line. */
  offsets: number[];
  lengths: number[];
  lineNumbers: number[];
  labelCells: string[];
  range: [number, number];
  fingerprint: string;
}

function indexCsv(path: string, size: number, options: CsvFileOptions): CsvIndex {
  const decoder = new TextDecoder();
  const fingerprint = new Fingerprint();
  const offsets: number[] = [];
  const lengths: number[] = [];
  const lineNumbers: number[] = [];
  const labelCells: string[] = [];
  let layout: CsvLayout | undefined;
  let scratch = new Float32Array(0);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let lineNumber = 0;
  let carry = new Uint8Array(0);
  let carryStart = 0;
  const line = (bytes: Uint8Array, start: number) => {
    lineNumber++;
    const text = decoder.decode(bytes).replace(/\r$/, '');
    if (text.trim() === '') return;
    if (!layout) {
      layout = csvLayout(text, options, path);
      scratch = new Float32Array(layout.width);
      if (layout.header) return;
    }
    const label = parseCsvRow(text, lineNumber, layout, path, scratch, 0);
    if (label !== undefined) labelCells.push(label);
    for (const v of scratch) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    offsets.push(start);
    lengths.push(bytes.length);
    lineNumbers.push(lineNumber);
  };
  fingerprint.begin('data', size);
  forEachChunk(path, (chunk, position) => {
    fingerprint.update(chunk);
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 0x0a) continue;
      const piece = chunk.subarray(from, i);
      if (carry.length > 0) {
        const joined = new Uint8Array(carry.length + piece.length);
        joined.set(carry);
        joined.set(piece, carry.length);
        line(joined, carryStart);
        carry = new Uint8Array(0);
      } else {
        line(piece, position + from);
      }
      from = i + 1;
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      if (carry.length === 0) carryStart = position + from;
      const joined = new Uint8Array(carry.length + rest.length);
      joined.set(carry);
      joined.set(rest, carry.length);
      carry = joined;
    }
  });
  if (carry.length > 0) line(carry, carryStart);
  if (!layout) throw new DataError(`${path}: empty (no lines)`);
  if (offsets.length === 0) throw new DataError(`${path}: a header but no data lines`);
  return {
    layout,
    offsets,
    lengths,
    lineNumbers,
    labelCells,
    range: [lo, hi],
    fingerprint: fingerprint.digest(),
  };
}

/** Reads the indexed lines from the file (one open per batch), or from its bytes held in memory. */
function csvRows(path: string, index: CsvIndex, bytes?: Uint8Array): RowSource {
  const { layout, offsets, lengths, lineNumbers } = index;
  const decoder = new TextDecoder();
  const parse = (readAt: ReadAt, rows: ArrayLike<number>, out: Float32Array) => {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const text = decoder.decode(readAt(offsets[r], lengths[r])).replace(/\r$/, '');
      parseCsvRow(text, lineNumbers[r], layout, path, out, i * layout.width);
    }
  };
  return {
    rows: offsets.length,
    dtype: 'float32',
    read(rows, out) {
      if (bytes)
        parse((position, length) => bytes.subarray(position, position + length), rows, out as Float32Array);
      else withFile(path, (readAt) => parse(readAt, rows, out as Float32Array));
    },
  };
}

export async function loadCsvFile(options: CsvFileOptions): Promise<Splits> {
  const { path, size } = userFile('csv', 'path', options.path);
  const index = indexCsv(path, size, options);
  checkFingerprint(options.fingerprint, index.fingerprint, `csv ${path}`, `${size} bytes`);
  const { width } = index.layout;
  const count = index.offsets.length;
  let values: Float32Array | RowSource = csvRows(path, index);
  if (!shouldStream(options, count * width * 4)) {
    values = new Float32Array(count * width);
    const all = Int32Array.from({ length: count }, (_, i) => i);
    csvRows(path, index, new Uint8Array(readFileSync(path))).read(all, values);
  }
  const labels = index.layout.labelIndex !== undefined ? csvLabels(index.labelCells, path) : undefined;
  const splits = userVectorSplits(
    'csv',
    { count, values, ...(labels ? { labels: labels.labels } : {}) },
    [width],
    labels?.numClasses,
    index.range,
    options,
  );
  return { ...splits, recorded: { path, fingerprint: index.fingerprint } };
}
