/**
 * The models are normalized distributions: on a tiny 2 × 2 binary image the probabilities of all 16
 * images sum to 1 for every model (including MADE's mask ensemble and a class-conditional model for each
 * class), a 4-level softmax sums to 1 over its 256 images, and the discretized logistic mixture sums to
 * 1 over the 256 values of a pixel (and over the 512 colours of a 3-channel pixel with 8 levels).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LogisticMixtureHead } from '../src/common/heads/logistic-mixture.js';
import { allBinary, createModel, type ModelName, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

function totalProbability(logProb: tf.Tensor): number {
  return values(tf.tidy(() => tf.sum(tf.exp(logProb)))).at(0)!;
}

const cases: Array<[string, ModelName, Record<string, unknown>, number[]]> = [
  ['nade', 'nade', { hidden: 8 }, [4]],
  ['made', 'made', { hidden: [16] }, [4]],
  ['made, 3 random orders (ensemble)', 'made', { hidden: [16, 16], masks: 3, ordering: 'random' }, [4]],
  ['pixelcnn', 'pixelcnn', { channels: 4, residualBlocks: 1, firstKernel: 3, outputChannels: 4 }, [2, 2, 1]],
  [
    'gated-pixelcnn',
    'gated-pixelcnn',
    { channels: 4, gatedLayers: 1, firstKernel: 3, outputChannels: 4 },
    [2, 2, 1],
  ],
];

describe('the 16 binary 2 × 2 images have total probability 1', () => {
  it.each(cases)('%s', (_label, name, config, eventShape) => {
    const model = createModel(name, config, { eventShape });
    const images = tf.tensor(allBinary(4).flat(), [16, ...eventShape]);
    expect(totalProbability(model.logProb(images))).toBeCloseTo(1, 4);
    images.dispose();
    model.dispose();
  });

  it('a class-conditional Gated PixelCNN, for each class', () => {
    const model = createModel(
      'gated-pixelcnn',
      { channels: 4, gatedLayers: 1, firstKernel: 3, outputChannels: 4, conditional: true },
      { eventShape: [2, 2, 1], numClasses: 3 },
    );
    const images = tf.tensor4d(allBinary(4).flat(), [16, 2, 2, 1]);
    const totals = [0, 1, 2].map((k) => {
      const condition = tf.oneHot(tf.fill([16], k, 'int32') as tf.Tensor1D, 3) as tf.Tensor2D;
      const total = totalProbability(model.logProb(images, { condition }));
      condition.dispose();
      return total;
    });
    for (const total of totals) expect(total).toBeCloseTo(1, 4);
    images.dispose();
    model.dispose();
  });
});

describe('discrete heads normalize over their values', () => {
  it('a 4-level softmax PixelCNN over all 256 images of 2 × 2 pixels', () => {
    const model = createModel(
      'pixelcnn',
      {
        channels: 4,
        residualBlocks: 1,
        firstKernel: 3,
        outputChannels: 4,
        head: { kind: 'categorical', categories: 4 },
      },
      { eventShape: [2, 2, 1] },
    );
    const images = Array.from({ length: 256 }, (_, k) => [0, 1, 2, 3].map((j) => ((k >> (2 * j)) & 3) / 3));
    const x = tf.tensor4d(images.flat(), [256, 2, 2, 1]);
    expect(totalProbability(model.logProb(x))).toBeCloseTo(1, 4);
    x.dispose();
    model.dispose();
  });

  it('the discretized logistic mixture over the 256 values of a grey pixel, for random parameters', () => {
    const head = new LogisticMixtureHead(1, 4);
    const params = tf.randomNormal([3, 1, head.paramsPerPosition], 0, 2, 'float32', 11);
    // Every pixel value 0 … 255 against each of the 3 parameter rows: [3, 256, 1].
    const levels = tf.tidy(() => tf.tile(tf.reshape(tf.div(tf.range(0, 256), 255), [1, 256, 1]), [3, 1, 1]));
    const logProb = head.logProb(tf.tile(params, [1, 256, 1]), levels);
    const sums = values(tf.tidy(() => tf.sum(tf.exp(logProb), 1)));
    for (const s of sums) expect(s).toBeCloseTo(1, 4);
    tf.dispose([params, levels, logProb]);
  });

  it('the RGB mixture with its channel coupling over the 512 colours of 8 levels', () => {
    const head = new LogisticMixtureHead(3, 3, 8);
    expect(head.paramsPerPosition).toBe(30);
    const params = tf.randomNormal([1, 1, 30], 0, 1.5, 'float32', 12);
    const colours = Array.from({ length: 512 }, (_, k) =>
      [k & 7, (k >> 3) & 7, (k >> 6) & 7].map((v) => v / 7),
    );
    const x = tf.tensor3d(colours.flat(), [1, 512, 3]);
    const logProb = head.logProb(tf.tile(params, [1, 512, 1]), x);
    expect(totalProbability(logProb)).toBeCloseTo(1, 4);
    tf.dispose([params, x]);
  });
});
