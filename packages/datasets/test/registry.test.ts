import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DataError } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetSpec, type InMemoryDataset, listDatasets, loadDataset } from '../src/node.js';
import { tempDir, tf, useCpu } from './helpers.js';

beforeAll(useCpu);

const dir = tempDir();

function labelCounts(dataset: InMemoryDataset, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of dataset.labelArray()!) counts[label]++;
  return counts;
}

/** Min and max over the whole dataset, batch by batch. */
function valueRange(dataset: InMemoryDataset): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const batch of dataset.batches({ batchSize: 5000 })) {
    const v = batch.x.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
    tf.dispose([batch.x, batch.labels, batch.condition]);
  }
  return [lo, hi];
}

describe('registry', () => {
  it('lists every dataset with its shape, classes and whether its data is here', () => {
    const list = listDatasets({ env: {}, systemDirs: [] });
    expect(list.map((d) => d.name)).toEqual([
      'mnist',
      'fashion-mnist',
      'mnist-10k',
      'mnist-10k-inverted',
      'mnist-10k-rotated',
      'mnist-10k-domains',
      'cifar10',
      'moons',
      '8gaussians',
      'checkerboard',
      'swissroll',
      'circles',
      'pinwheel',
      'image-folder',
      'csv',
      'npy',
    ]);
    const byName = Object.fromEntries(list.map((d) => [d.name, d]));
    expect(byName['fashion-mnist'].eventShape).toEqual([28, 28, 1]);
    expect(byName['fashion-mnist'].numClasses).toBe(10);
    expect(byName.cifar10.eventShape).toEqual([32, 32, 3]);
    expect(byName.moons).toMatchObject({
      eventShape: [2],
      numClasses: 2,
      source: { found: true, where: 'generated' },
    });
    expect(byName.checkerboard.numClasses).toBeUndefined();
    expect(byName['mnist-10k'].source).toMatchObject({
      found: true,
      where: expect.stringMatching(/[/\\]mnist$/),
    });
    expect(byName.cifar10.source.found).toBe(false);
    expect(byName.cifar10.source.howToGet).toContain(
      'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    );
    expect(JSON.parse(JSON.stringify(list))).toEqual(list);
  });

  it('rejects unknown datasets and unknown or invalid options, naming them', async () => {
    await expect(loadDataset('mnist-1m')).rejects.toThrow(
      /unknown dataset "mnist-1m"; known datasets: mnist, /,
    );
    await expect(loadDataset('moons', { n: 10, nosie: 0.1 })).rejects.toThrow(
      'invalid options for dataset "moons": unknown key(s) "nosie" at (root)',
    );
    await expect(loadDataset('mnist-10k', { binarize: 'sometimes' })).rejects.toThrow(ConfigError);
    await expect(loadDataset('mnist-10k', { binarize: 'static', dequantize: true })).rejects.toThrow(
      /dequantize: binarized data cannot be dequantized/,
    );
    await expect(loadDataset('mnist-10k', { range: [0, 2] })).rejects.toThrow(
      /range must be \[0, 1\] or \[-1, 1\]/,
    );
    await expect(loadDataset('cifar10', { binarize: 'static' })).rejects.toThrow(
      /unknown key\(s\) "binarize"/,
    );
  });

  it('stores a plain-JSON spec with defaults and without file locations, which reloads the same data', async () => {
    const spec = datasetSpec('fashion-mnist', {
      binarize: 'dynamic',
      flatten: true,
      path: '/somewhere',
      offline: true,
    });
    expect(spec).toEqual({
      name: 'fashion-mnist',
      options: {
        binarize: 'dynamic',
        binarizeSeed: 0,
        dequantize: false,
        range: [0, 1],
        flatten: true,
        splitSeed: 0,
      },
    });
    const first = await loadDataset('circles', { n: 50, validation: { count: 10 } });
    const stored = JSON.parse(JSON.stringify(first.spec));
    const again = await loadDataset(stored.name, stored.options);
    const a = first.validation!.getBatch([0, 9]);
    const b = again.validation!.getBatch([0, 9]);
    expect(Array.from(b.x.dataSync())).toEqual(Array.from(a.x.dataSync()));
    tf.dispose([a.x, a.labels, a.condition, b.x, b.labels, b.condition]);
  });
});

describe('mnist-10k', () => {
  it('loads 9,000 train / 1,000 test digits as 256-level [0, 1] images with every class in both', async () => {
    const { train, test, spec } = await loadDataset('mnist-10k');
    expect(spec.name).toBe('mnist-10k');
    expect([train.size, test.size]).toEqual([9000, 1000]);
    expect(train.eventShape).toEqual([28, 28, 1]);
    expect(train.values).toEqual({ kind: 'continuous', range: [0, 1], levels: 256 });
    expect(labelCounts(test, 10).every((c) => c > 60)).toBe(true);
    expect(labelCounts(train, 10).reduce((a, b) => a + b, 0)).toBe(9000);
    // Pixels are whole levels k/255.
    const { x, labels, condition } = test.getBatch([0, 1, 2]);
    const v = x.dataSync();
    expect(Array.from(v).every((p) => Math.abs(p * 255 - Math.round(p * 255)) < 1e-4)).toBe(true);
    expect(Math.max(...v)).toBeGreaterThan(0.9);
    tf.dispose([x, labels, condition]);
    expect(valueRange(train)).toEqual([0, 1]);
  });

  it('binarizes statically, flattens, limits and splits off validation', async () => {
    const options = { binarize: 'static', flatten: true, trainLimit: 2000, validation: { fraction: 0.25 } };
    const a = await loadDataset('mnist-10k', options);
    expect([a.train.size, a.validation?.size, a.test.size]).toEqual([1500, 500, 1000]);
    expect(a.train.eventShape).toEqual([784]);
    expect(a.test.values).toEqual({ kind: 'binary' });
    // Each split is binarized with its own seed derived from binarizeSeed.
    const [trainStep] = a.train.describe().transforms;
    const [testStep] = a.test.describe().transforms;
    expect(testStep).toMatch(/^binarize\(static, seed=\d+\)$/);
    expect(trainStep).not.toBe(testStep);
    const b = await loadDataset('mnist-10k', options);
    const x1 = a.test.getBatch([0, 500, 999], { seed: 1 }).x;
    const x2 = b.test.getBatch([0, 500, 999], { seed: 2 }).x;
    expect(Array.from(x2.dataSync())).toEqual(Array.from(x1.dataSync()));
    expect(new Set(x1.dataSync())).toEqual(new Set([0, 1]));
    tf.dispose([x1, x2]);
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const hasFashion = existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'));
if (!hasFashion)
  console.warn(
    `skipping the real Fashion-MNIST test: ${FASHION} is missing (apt install dataset-fashion-mnist)`,
  );

describe.skipIf(!hasFashion)(`Fashion-MNIST from ${FASHION} (skipped when absent)`, () => {
  it('has 60,000 / 10,000 images of 28×28 in [0, 1], 6,000 / 1,000 per class', async () => {
    const { train, test } = await loadDataset('fashion-mnist', { offline: true }, { env: {} });
    expect([train.size, test.size]).toEqual([60000, 10000]);
    expect(train.eventShape).toEqual([28, 28, 1]);
    expect(labelCounts(train, 10)).toEqual(new Array(10).fill(6000));
    expect(labelCounts(test, 10)).toEqual(new Array(10).fill(1000));
    expect(valueRange(test)).toEqual([0, 1]);
  });
});

describe('cifar10 from files', () => {
  /** Record r of each file: label (r + file) mod 10, red plane = r, green = 100 + file, blue = 255. */
  function writeBatch(path: string, records: number, file: number): void {
    const bytes = new Uint8Array(records * 3073);
    for (let r = 0; r < records; r++) {
      const at = r * 3073;
      bytes[at] = (r + file) % 10;
      bytes.fill(r, at + 1, at + 1025);
      bytes.fill(100 + file, at + 1025, at + 2049);
      bytes.fill(255, at + 2049, at + 3073);
    }
    writeFileSync(path, bytes);
  }

  it('reads the six batch files of the binary version as [32, 32, 3] images', async () => {
    const folder = join(dir, 'cifar', 'cifar-10-batches-bin');
    mkdirSync(folder, { recursive: true });
    for (let f = 1; f <= 5; f++) writeBatch(join(folder, `data_batch_${f}.bin`), 3, f);
    writeBatch(join(folder, 'test_batch.bin'), 2, 0);
    const { train, test } = await loadDataset('cifar10', { path: join(dir, 'cifar') }, { env: {} });
    expect([train.size, test.size]).toEqual([15, 2]);
    expect(train.eventShape).toEqual([32, 32, 3]);
    expect(Array.from(train.labelArray()!)).toEqual([1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6, 5, 6, 7]);
    const { x, labels, condition } = train.getBatch([4]); // file 2, record 1
    const v = x.dataSync();
    expect(Array.from(v.subarray(0, 3)).map((p) => Math.round(p * 255))).toEqual([1, 102, 255]);
    expect(Array.from(v.subarray(3 * 1023, 3 * 1024)).map((p) => Math.round(p * 255))).toEqual([1, 102, 255]);
    tf.dispose([x, labels, condition]);
  });

  it('reports a truncated batch file by name', async () => {
    const folder = join(dir, 'cifar-cut');
    mkdirSync(folder, { recursive: true });
    for (let f = 1; f <= 5; f++) writeBatch(join(folder, `data_batch_${f}.bin`), 2, f);
    writeFileSync(join(folder, 'test_batch.bin'), new Uint8Array(3073 + 100));
    const attempt = loadDataset('cifar10', { path: folder }, { env: {} });
    await expect(attempt).rejects.toThrow(DataError);
    await expect(attempt).rejects.toThrow(
      `${join(folder, 'test_batch.bin')}: 3173 bytes is not a whole number`,
    );
  });
});
