/**
 * Transparent gunzip: data files may be stored raw or gzipped (as the canonical MNIST downloads are). This
 * module is platform-neutral: `maybeGunzipAsync` uses the web's DecompressionStream (browsers, Node ≥ 18,
 * Deno, Bun); the synchronous `maybeGunzip` (node:zlib) is in the Node entry.
 */
import { ConfigError, DataError } from '@genzoo/core';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

interface StreamGlobals {
  DecompressionStream?: new (format: 'gzip') => TransformStream<Uint8Array, Uint8Array>;
}

/** The bytes, gunzipped when they start with the gzip magic; `file` names the file in errors. */
export async function maybeGunzipAsync(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  const Decompression = (globalThis as StreamGlobals).DecompressionStream;
  if (typeof Decompression !== 'function') {
    throw new ConfigError(`${file}: gzipped, and this runtime has no DecompressionStream to gunzip it`);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new Decompression('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DataError(`${file}: corrupt or truncated gzip data (${(error as Error).message})`, {
      cause: error,
    });
  }
}
