/** Transparent gunzip: data files may be stored raw or gzipped (as the canonical MNIST downloads are). */
import { gunzipSync } from 'node:zlib';
import { DataError } from '@genzoo/core';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

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
