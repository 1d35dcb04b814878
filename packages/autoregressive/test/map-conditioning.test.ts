/**
 * Gated PixelCNN conditioned on a spatial map (van den Oord et al. 2016, §2.3): the map changes the
 * conditionals; `complete`/`sample` draw from the same conditionals as `logProb` given the map (on a 2 × 2
 * model, frequencies against exact probabilities); missing or misshapen maps are errors; the map's weights
 * are checkpointed (save → load gives identical log-probabilities and samples). The autoregressive
 * property with a map and the cropped-sampling equivalence are in autoregressive-property.test.ts and
 * sampling.test.ts.
 */
import {
  loadModel,
  memoryCheckpointStorage,
  PluginRegistry,
  RNG_SCHEME,
  readTensor,
  saveCheckpoint,
  trainConfigSchema,
} from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageAutoregressiveModel } from '../src/common/models/image-model.js';
import { autoregressivePlugin } from '../src/index.js';
import { createModel, labels, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

/** Every variable moved off its initial value (zero biases included), so no weight is trivially equal. */
function perturb(model: { variables(): Record<string, tf.Variable> }, seed: number): void {
  Object.values(model.variables()).forEach((v, i) => {
    tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed + i))));
  });
}

const SMALL = { channels: 4, gatedLayers: 1, firstKernel: 3, outputChannels: 8, mapChannels: 2 };

describe('Gated PixelCNN with a conditioning map', () => {
  it('the map changes log p(x | map) and the samples; it is in the parameters of every gate', () => {
    const model = createModel('gated-pixelcnn', SMALL, { eventShape: [6, 6, 1] });
    const keys = Object.keys(model.variables());
    expect(keys).toContain('gated/layer0/vertical-map/kernel');
    expect(keys).toContain('gated/layer1/horizontal-map/kernel');
    // The last layer's vertical output feeds nothing, so it has no map weights either.
    expect(keys).not.toContain('gated/layer1/vertical-map/kernel');
    perturb(model, 1);
    const x = tf.cast(tf.greater(tf.randomUniform([3, 6, 6, 1], 0, 1, 'float32', 2), 0.5), 'float32');
    const a = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const b = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const la = values(model.logProb(x, { map: a }));
    const lb = values(model.logProb(x, { map: b }));
    expect(values(model.logProb(x, { map: a }))).toEqual(la);
    for (let i = 0; i < 3; i++) expect(Math.abs(la[i] - lb[i])).toBeGreaterThan(1e-3);
    const before = tf.memory().numTensors;
    const sa = values(model.sample(3, { seed: 5, map: a }));
    expect(values(model.sample(3, { seed: 5, map: a }))).toEqual(sa);
    expect(values(model.sample(3, { seed: 5, map: b }))).not.toEqual(sa);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, a, b]);
    model.dispose();
  });

  it('completion given the map draws from p(bottom row | top row, map) of logProb', () => {
    const eventShape = [2, 2, 1];
    const model = createModel('gated-pixelcnn', SMALL, { eventShape, seed: 3 });
    perturb(model, 6);
    const n = 4000;
    const top = [0, 1];
    const x = tf.tensor(Array.from({ length: n }, () => [...top, 0, 0]).flat(), [n, ...eventShape]);
    const observed = tf.tensor([1, 1, 0, 0], eventShape);
    const one = tf.randomNormal([1, 2, 2, 2], 0, 2, 'float32', 7) as tf.Tensor4D;
    const map = tf.tile(one, [n, 1, 1, 1]) as tf.Tensor4D;
    const done = values(model.complete(x, observed, { seed: 8, map }));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[done[4 * i + 2] + 2 * done[4 * i + 3]]++;
    const candidates = tf.tensor(
      [0, 1, 2, 3].flatMap((k) => [...top, k & 1, (k >> 1) & 1]),
      [4, ...eventShape],
    );
    const four = tf.tile(one, [4, 1, 1, 1]) as tf.Tensor4D;
    const joint = values(model.logProb(candidates, { map: four })).map(Math.exp);
    const total = joint.reduce((s, p) => s + p, 0);
    joint.forEach((p, k) => {
      const expected = p / total;
      expect(Math.abs(counts[k] / n - expected)).toBeLessThan(
        4 * Math.sqrt((expected * (1 - expected)) / n) + 2e-3,
      );
    });
    tf.dispose([x, observed, one, map, candidates, four]);
    model.dispose();
  });

  it('a missing or misshapen map, or a map for a model without one, is an error that says what is expected', () => {
    const model = createModel('gated-pixelcnn', SMALL, { eventShape: [4, 4, 1] });
    const x = tf.zeros([2, 4, 4, 1]);
    expect(() => model.logProb(x)).toThrow(/conditioned on a map \[batch, 4, 4, 2\]; pass it as options.map/);
    expect(() => model.sample(2)).toThrow(/conditioned on a map/);
    const wrong = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    expect(() => model.logProb(x, { map: wrong })).toThrow(/map must be \[2, 4, 4, 2\], got \[2, 4, 4, 3\]/);
    const plain = createModel('gated-pixelcnn', { ...SMALL, mapChannels: 0 }, { eventShape: [4, 4, 1] });
    expect(() => plain.logProb(x, { map: wrong })).toThrow(/takes no conditioning map/);
    expect((plain as unknown as ImageAutoregressiveModel<unknown>).mapChannels).toBe(0);
    tf.dispose([x, wrong]);
    plain.dispose();
    model.dispose();
  });

  it('save → load keeps the map weights: identical log p(x | map) and samples', async () => {
    const config = { ...SMALL, conditional: true };
    const eventShape = [5, 5, 1];
    const model = createModel('gated-pixelcnn', config, { eventShape, numClasses: 3 });
    perturb(model, 9);
    const weights: Record<string, Awaited<ReturnType<typeof readTensor>>> = {};
    for (const [key, variable] of Object.entries(model.variables()))
      weights[key] = await readTensor(key, variable);
    const storage = memoryCheckpointStorage();
    await saveCheckpoint(storage, {
      model: {
        name: 'gated-pixelcnn',
        plugin: autoregressivePlugin.name,
        pluginVersion: autoregressivePlugin.version,
        config: model.config,
        eventShape,
        numClasses: 3,
        seed: 2,
      },
      train: trainConfigSchema.parse({}),
      state: {
        step: 0,
        epoch: 0,
        batchInEpoch: 0,
        batchIndex: 0,
        trainExamples: 0,
        seconds: 0,
        rng: { seed: 0, scheme: RNG_SCHEME },
      },
      weights,
    });
    const registry = new PluginRegistry();
    registry.register(autoregressivePlugin);
    const { model: loaded } = await loadModel(storage, { registry });
    const reloaded = loaded as unknown as typeof model;
    expect((loaded.config as { mapChannels: number }).mapChannels).toBe(2);
    const x = tf.cast(tf.greater(tf.randomUniform([2, 5, 5, 1], 0, 1, 'float32', 10), 0.5), 'float32');
    const map = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 11) as tf.Tensor4D;
    const condition = labels(2, 3);
    expect(values(reloaded.logProb(x, { condition, map }))).toEqual(
      values(model.logProb(x, { condition, map })),
    );
    expect(values(reloaded.sample(2, { seed: 12, condition, map }))).toEqual(
      values(model.sample(2, { seed: 12, condition, map })),
    );
    tf.dispose([x, map, condition]);
    reloaded.dispose();
    model.dispose();
  });
});
