/** Synchronous transparent gunzip with node:zlib (Node entry only; see gzip.ts for the neutral one). */
import { gunzipSync } from 'node:zlib';
import { DataError } from '@genzoo/core';
import { isGzip } from './gzip.js';

/** The bytes, gunzipped when they start with the gzip magic; `file` names the file in errors. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new DataError(`${file}: corrupt or truncated gzip data (${(error as Error).message})`, {
      cause: error,
    });
  }
}
