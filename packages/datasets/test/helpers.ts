/** Shared test setup: the CPU backend, temporary folders, and independent writers for fixture files. */
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll } from 'vitest';

export { tf };

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A fresh temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'genzoo-datasets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An idx file: big-endian magic, dims, then the bytes. */
export function idxFile(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  for (const [i, d] of dims.entries()) header.writeUInt32BE(d, 4 + 4 * i);
  return new Uint8Array(Buffer.concat([header, body]));
}

/** `count` images of 28 × 28 where image i has every pixel equal to (i · 37) mod 256, labels i mod 10. */
export function mnistLikeFixture(count: number): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    pixels.fill((i * 37) % 256, i * 784, (i + 1) * 784);
    labels[i] = i % 10;
  }
  return { images: idxFile(2051, [count, 28, 28], pixels), labels: idxFile(2049, [count], labels) };
}

/** A ustar archive of the given files (regular files, 512-byte blocks, two zero blocks at the end). */
export function tarArchive(files: Record<string, Uint8Array>): Uint8Array {
  const parts: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return new Uint8Array(Buffer.concat(parts));
}
