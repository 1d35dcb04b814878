/**
 * BiGAN's encoder after a short run on 8 Gaussians: E(x) is a code G maps back near x — G(E(x)) falls in
 * the mode x came from far more often than the 1/8 of chance — and encode/decode follow core's
 * LatentModel contract (a point-mass posterior).
 */
import { isLatentModel } from '@genzoo/core';
import { loadDataset, TOY_GENERATORS } from '@genzoo/datasets';
import { trainCounted } from '@genzoo/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOY_ADAM } from '../src/common/recipes/protocol.js';
import { ganPlugin } from '../src/index.js';
import { tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

/** Index of the nearest mode centre of each 2-D point. */
function nearestModes(points: number[], centers: ReadonlyArray<readonly [number, number]>): number[] {
  const out: number[] = [];
  for (let i = 0; i < points.length; i += 2) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    centers.forEach(([cx, cy], k) => {
      const d = (points[i] - cx) ** 2 + (points[i + 1] - cy) ** 2;
      if (d < bestDistance) [bestDistance, best] = [d, k];
    });
    out.push(best);
  }
  return out;
}

describe('bigan', () => {
  it('learns an encoder whose codes G maps back into the same mode', async () => {
    const data = await loadDataset('8gaussians', { n: 20_000 });
    const { model, counter } = await trainCounted({
      plugin: ganPlugin,
      name: 'bigan',
      config: {
        latentDim: 2,
        output: 'linear',
        network: { kind: 'mlp', generatorHidden: [128, 128], discriminatorHidden: [128, 128] },
        jointHidden: [128],
        optimizers: { generator: TOY_ADAM, discriminator: TOY_ADAM },
      },
      data,
      train: { steps: 600, batchSize: 128, logEvery: 100 },
    });
    expect(isLatentModel(model)).toBe(true);
    if (!isLatentModel(model)) return;
    expect(new Set(counter.counts.slice(2)).size).toBe(1);

    const batch = data.test.getBatch(Array.from({ length: 500 }, (_, i) => i));
    const { mean, stddev } = model.encode(batch.x);
    expect(mean.shape).toEqual([500, 2]);
    expect(Math.max(...values(stddev))).toBe(0);
    const reconstructed = values(model.decode(mean));
    const generator = TOY_GENERATORS.find((g) => g.name === '8gaussians')!;
    const { centers } = generator.modes!(generator.defaultNoise);
    const original = nearestModes(values(batch.x), centers);
    const back = nearestModes(reconstructed, centers);
    const kept = original.filter((mode, i) => mode === back[i]).length / original.length;
    expect(kept).toBeGreaterThan(0.5);
    tf.dispose([batch.x, batch.labels, batch.condition].filter((t) => t !== undefined) as tf.Tensor[]);
    model.dispose();
  });
});
