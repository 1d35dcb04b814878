import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@genzoo/core';
import { describe, expect, it } from 'vitest';
import {
  extractTarMembers,
  parseCifarBatch,
  parseIdxImages,
  parseIdxLabels,
  readIdxPair,
} from '../src/node.js';
import { idxFile, mnistLikeFixture, tarArchive, tempDir } from './helpers.js';

const dir = tempDir();

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('idx files', () => {
  it('reads raw and gzipped image/label pairs to the same bytes', async () => {
    const { images, labels } = mnistLikeFixture(12);
    const raw = await readIdxPair(write('raw-images', images), write('raw-labels', labels));
    const gz = await readIdxPair(
      write('gz-images.gz', gzipSync(images)),
      write('gz-labels.gz', gzipSync(labels)),
    );
    expect(raw.count).toBe(12);
    expect(raw.pixels.length).toBe(12 * 784);
    expect(raw.pixels[5 * 784 + 300]).toBe((5 * 37) % 256);
    expect(Array.from(raw.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(gz.pixels).toEqual(raw.pixels);
    expect(gz.labels).toEqual(raw.labels);
  });

  it('rejects a wrong magic number, naming the file and both numbers', () => {
    const { images, labels } = mnistLikeFixture(2);
    expect(() => parseIdxImages(labels, 'labels-as-images')).toThrow(
      'labels-as-images: not an idx images file: magic number 2049 (0x00000801), expected 2051 (0x00000803)',
    );
    expect(() => parseIdxLabels(images, 'images-as-labels', 10)).toThrow(
      /magic number 2051 .* expected 2049/,
    );
  });

  it('rejects truncated files and trailing bytes instead of returning garbage', () => {
    const { images, labels } = mnistLikeFixture(3);
    expect(() => parseIdxImages(images.subarray(0, images.length - 1), 'short')).toThrow(
      'short: truncated: the header declares 3 × 28 × 28 = 2352 bytes of images, the file holds 2351',
    );
    expect(() => parseIdxImages(images.subarray(0, 10), 'header-only')).toThrow(/header-only: truncated/);
    expect(() => parseIdxLabels(labels.subarray(0, 2), 'tiny', 10)).toThrow(/too short/);
    const padded = new Uint8Array([...labels, 0]);
    expect(() => parseIdxLabels(padded, 'long', 10)).toThrow(/long: has trailing bytes/);
  });

  it('rejects truncated gzip data as a DataError naming the file', async () => {
    const { images, labels } = mnistLikeFixture(3);
    const gz = gzipSync(images);
    const imagesPath = write('cut.gz', gz.subarray(0, gz.length - 20));
    await expect(readIdxPair(imagesPath, write('ok-labels', labels))).rejects.toThrow(
      /cut\.gz: corrupt or truncated gzip data/,
    );
  });

  it('checks label range, image size and that the counts match', async () => {
    const badLabels = idxFile(2049, [3], new Uint8Array([1, 10, 2]));
    expect(() => parseIdxLabels(badLabels, 'labels', 10)).toThrow(
      'labels: label 10 of example 1 is outside [0, 10)',
    );
    const wide = idxFile(2051, [1, 28, 29], new Uint8Array(28 * 29));
    expect(() => parseIdxImages(wide, 'wide', { rows: 28, cols: 28 })).toThrow(
      'wide: images are 28 × 29, expected 28 × 28',
    );
    const { images } = mnistLikeFixture(3);
    const twoLabels = idxFile(2049, [2], new Uint8Array([0, 1]));
    await expect(readIdxPair(write('i3', images), write('l2', twoLabels))).rejects.toThrow(
      /2 labels for the 3 images/,
    );
  });
});

describe('CIFAR-10 binary batches', () => {
  it('converts channel-major records to channel-last images', () => {
    const record = new Uint8Array(3073);
    record[0] = 7;
    // Pixel p of channel c holds (c · 100 + p) mod 256.
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) record[1 + c * 1024 + p] = (c * 100 + p) % 256;
    const { count, pixels, labels } = parseCifarBatch(record, 'one');
    expect(count).toBe(1);
    expect(labels[0]).toBe(7);
    const at = (row: number, col: number, c: number) => pixels[(row * 32 + col) * 3 + c];
    expect(at(0, 0, 0)).toBe(0);
    expect(at(0, 0, 2)).toBe(200);
    expect(at(1, 2, 1)).toBe((100 + 34) % 256);
  });

  it('rejects partial records and labels above 9', () => {
    expect(() => parseCifarBatch(new Uint8Array(3073 * 2 - 5), 'cut.bin')).toThrow(
      /cut\.bin: 6141 bytes is not a whole number of 3073-byte records/,
    );
    const bad = new Uint8Array(3073);
    bad[0] = 10;
    expect(() => parseCifarBatch(bad, 'bad.bin')).toThrow(DataError);
  });
});

describe('tar archives', () => {
  it('extracts the wanted members by base name and reports missing ones', () => {
    const archive = tarArchive({
      'dir/a.bin': new Uint8Array([1, 2, 3]),
      'dir/readme.txt': new Uint8Array(700).fill(65),
      'dir/b.bin': new Uint8Array(513).fill(9),
    });
    const members = extractTarMembers(archive, ['a.bin', 'b.bin'], 'x.tar');
    expect(Array.from(members.get('a.bin')!)).toEqual([1, 2, 3]);
    expect(members.get('b.bin')!.length).toBe(513);
    expect(members.has('readme.txt')).toBe(false);
    expect(() => extractTarMembers(archive, ['c.bin'], 'x.tar')).toThrow('x.tar: the archive lacks c.bin');
    expect(() => extractTarMembers(archive.subarray(0, 1024 + 100), ['b.bin'], 'cut.tar')).toThrow(
      /cut\.tar: truncated/,
    );
  });

  const hasTar = (() => {
    try {
      execFileSync('tar', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasTar)(
    'reads an archive written by the system tar (skipped when there is no tar command)',
    () => {
      const root = join(dir, 'tar-src');
      mkdirSync(join(root, 'cifar-10-batches-bin'), { recursive: true });
      writeFileSync(join(root, 'cifar-10-batches-bin', 'test_batch.bin'), new Uint8Array(3073 * 2).fill(3));
      writeFileSync(join(root, 'cifar-10-batches-bin', 'batches.meta.txt'), 'airplane\n');
      const archivePath = join(dir, 'system.tar');
      execFileSync('tar', ['-cf', archivePath, '-C', root, 'cifar-10-batches-bin']);
      const members = extractTarMembers(
        new Uint8Array(readFileSync(archivePath)),
        ['test_batch.bin'],
        archivePath,
      );
      expect(members.get('test_batch.bin')).toEqual(new Uint8Array(3073 * 2).fill(3));
    },
  );
});
