/**
 * Downloads with checksum verification. The body streams into a temporary file next to the destination
 * while being hashed; only a complete file with the published checksum is renamed into place, so an
 * interrupted or tampered download never leaves a file that a later run would trust.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError } from '@genzoo/core';
import type { RemoteFile } from './catalog.js';

export interface DownloadProgress {
  url: string;
  /** Destination path. */
  file: string;
  receivedBytes: number;
  /** From Content-Length, when the server sends it. */
  totalBytes?: number;
}

export interface DownloadOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Fetches `remote.url` into `dest`, verifying `remote.checksum`; throws a DataError on any failure. */
export async function downloadVerified(
  remote: RemoteFile,
  dest: string,
  options: DownloadOptions = {},
): Promise<void> {
  const { url, checksum } = remote;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url);
  } catch (error) {
    throw new DataError(`downloading ${url} failed: ${message(error)}`, { cause: error });
  }
  if (!response.ok || !response.body) {
    throw new DataError(
      `downloading ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  const length = Number(response.headers.get('content-length'));
  const totalBytes = Number.isFinite(length) && length > 0 ? length : undefined;

  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
  const handle = await open(temp, 'wx');
  const hash = createHash(checksum.algorithm);
  let receivedBytes = 0;
  try {
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        await handle.write(value);
        receivedBytes += value.length;
        options.onProgress?.({ url, file: dest, receivedBytes, totalBytes });
      }
    } catch (error) {
      throw new DataError(
        `downloading ${url} was interrupted after ${receivedBytes} bytes: ${message(error)}`,
        {
          cause: error,
        },
      );
    } finally {
      await handle.close();
    }
    const actual = hash.digest('hex');
    if (actual !== checksum.hex.toLowerCase()) {
      throw new DataError(
        `checksum mismatch for ${url}: expected ${checksum.algorithm} ${checksum.hex}, got ${actual} ` +
          `(${receivedBytes} bytes); the download was discarded. A proxy or a changed upstream file can cause this.`,
      );
    }
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
