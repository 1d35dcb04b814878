/** File helpers of the user-data loaders: positioned reads and content fingerprints (Node only). */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { DataError } from '@genzoo/core';

/** Reads positioned byte ranges of one file, opened for the duration of `use`. */
export type ReadAt = (position: number, length: number) => Uint8Array;

export function withFile<T>(path: string, use: (readAt: ReadAt) => T): T {
  const fd = openSync(path, 'r');
  try {
    return use((position, length) => {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, out, done, length - done, position + done);
        if (n === 0) {
          throw new DataError(
            `${path}: ended at byte ${position + done}, expected ${length} bytes from byte ${position} (changed since it was loaded?)`,
          );
        }
        done += n;
      }
      return out;
    });
  } finally {
    closeSync(fd);
  }
}

/** Calls `chunk(bytes, position)` for consecutive chunks of the whole file. */
export function forEachChunk(
  path: string,
  chunk: (bytes: Uint8Array, position: number) => void,
  size = 1 << 20,
): void {
  const fd = openSync(path, 'r');
  const buffer = new Uint8Array(size);
  try {
    let position = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, size, position);
      if (n === 0) break;
      chunk(buffer.subarray(0, n), position);
      position += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * SHA-256 over the files of a data set, each as (name, size, bytes) in the order added: what a run
 * records, so that reloading its spec refuses other data under the same path.
 */
export class Fingerprint {
  private readonly hash = createHash('sha256');
  files = 0;
  bytes = 0;

  add(name: string, data: Uint8Array): void {
    this.begin(name, data.length);
    this.update(data);
  }

  /** Starts a file of `size` bytes, whose bytes follow with update (for files read in chunks). */
  begin(name: string, size: number): void {
    this.hash.update(`${name}\0${size}\0`);
    this.files++;
    this.bytes += size;
  }

  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Refuses data whose fingerprint differs from the recorded one. */
export function checkFingerprint(
  expected: string | undefined,
  found: string,
  where: string,
  what: string,
): void {
  if (expected !== undefined && expected !== found) {
    throw new DataError(
      `${where}: the data changed since it was recorded (fingerprint ${expected}, now ${found}: ${what}); ` +
        'load it without the fingerprint option to use it as new data',
    );
  }
}

/** Whether data of `bytes` decoded bytes is streamed from disk. */
export function shouldStream(
  options: { stream?: boolean; maxInMemoryBytes: number },
  bytes: number,
): boolean {
  return options.stream ?? bytes > options.maxInMemoryBytes;
}
