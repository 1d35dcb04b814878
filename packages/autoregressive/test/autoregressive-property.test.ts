/**
 * The autoregressive property, numerically: for every model, the gradient of the conditional parameters
 * at position i with respect to the input at position j is zero for every j at or after i in the model's
 * order, for random inputs and random parameters. For Gated PixelCNN the non-zero pattern is checked
 * exactly against its receptive field — every earlier pixel inside it has a non-zero gradient, so the
 * blind spot of masked convolutions is gone — and PixelCNN's blind spot is shown to exist. A conditioning
 * map leaves the property intact, and reaches each output only inside its receptive-field crop.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AutoregressiveModel } from '../src/common/models/autoregressive-model.js';
import type { ImageAutoregressiveModel } from '../src/common/models/image-model.js';
import { createModel, labels, tf, useWasm } from './helpers.js';

beforeAll(useWasm);

/**
 * |∂⟨w, params at position p⟩/∂x| over all input positions, [positions]: the input's sensitivity, summed
 * over channels, of a random projection of position p's parameters (random so no cancellation is likely).
 */
function sensitivity(
  model: AutoregressiveModel<unknown>,
  x: tf.Tensor,
  position: number,
  variant: number,
  condition?: tf.Tensor2D,
  map?: tf.Tensor4D,
): Float32Array {
  return tf.tidy(() => {
    const positions = model.positions;
    const params = model.head.paramsPerPosition;
    const w = tf.randomNormal([1, params], 0, 1, 'float32', position + 7);
    const g = tf.grad((input: tf.Tensor) => {
      const out = tf.reshape(model.networkParams(input, variant, condition, map), [
        x.shape[0],
        positions,
        params,
      ]);
      return tf.sum(tf.mul(tf.slice(out, [0, position, 0], [-1, 1, -1]), w));
    })(x);
    return tf.sum(tf.abs(tf.reshape(g, [x.shape[0], positions, -1])), [0, 2]).dataSync() as Float32Array;
  });
}

/** Rank of each position in the model's order under `variant`. */
function ranks(model: AutoregressiveModel<unknown>, variant: number): Int32Array {
  const order = (model as unknown as { order(v: number): Int32Array }).order(variant);
  const rank = new Int32Array(order.length);
  order.forEach((p, i) => {
    rank[p] = i;
  });
  return rank;
}

function expectAutoregressive(
  model: AutoregressiveModel<unknown>,
  x: tf.Tensor,
  condition?: tf.Tensor2D,
  map?: tf.Tensor4D,
): void {
  for (let v = 0; v < model.variants; v++) {
    const rank = ranks(model, v);
    for (let p = 0; p < model.positions; p++) {
      const g = sensitivity(model, x, p, v, condition, map);
      for (let q = 0; q < model.positions; q++) {
        if (rank[q] >= rank[p]) expect(g[q], `variant ${v}: ∂out(${p})/∂in(${q})`).toBe(0);
      }
    }
  }
}

describe('∂ output_i / ∂ input_j = 0 for j ≥ i', () => {
  it('NADE', () => {
    const model = createModel('nade', { hidden: 16 }, { eventShape: [10] });
    expectAutoregressive(model, tf.randomUniform([2, 10], 0, 1, 'float32', 1));
    model.dispose();
  });

  it('MADE: natural order, random orders with 3 mask sets, two hidden layers, a class context', () => {
    for (const config of [
      { hidden: [20] },
      { hidden: [20, 20], masks: 3, ordering: 'random' },
      { hidden: [20], conditional: true, head: { kind: 'gaussian' } },
    ]) {
      const model = createModel('made', config, { eventShape: [8], numClasses: 3 });
      const condition = config.conditional ? labels(2, 3) : undefined;
      expectAutoregressive(model, tf.randomUniform([2, 8], 0, 1, 'float32', 2), condition);
      if (config.ordering === 'random') {
        // The mask sets really use different orders.
        expect(Array.from(ranks(model, 1))).not.toEqual(Array.from(ranks(model, 0)));
      }
      model.dispose();
    }
  });

  it('PixelCNN (Bernoulli and logistic-mixture heads, RGB): raster order, over all channels of a pixel', () => {
    for (const [config, shape] of [
      [{ channels: 8, residualBlocks: 2, firstKernel: 3, outputChannels: 8 }, [5, 5, 1]],
      [
        {
          channels: 8,
          residualBlocks: 1,
          firstKernel: 5,
          outputChannels: 8,
          head: { kind: 'logistic-mixture', components: 2 },
        },
        [4, 4, 3],
      ],
    ] as const) {
      const model = createModel('pixelcnn', config, { eventShape: shape });
      expectAutoregressive(model, tf.randomUniform([2, ...shape], 0, 1, 'float32', 3));
      model.dispose();
    }
  });

  it('Gated PixelCNN, class-conditional', () => {
    const model = createModel(
      'gated-pixelcnn',
      { channels: 4, gatedLayers: 2, firstKernel: 3, outputChannels: 8, conditional: true },
      { eventShape: [5, 5, 1], numClasses: 3 },
    );
    expectAutoregressive(model, tf.randomUniform([2, 5, 5, 1], 0, 1, 'float32', 4), labels(2, 3));
    model.dispose();
  });

  it('Gated PixelCNN conditioned on a map (and on classes): the map is not masked, x still is', () => {
    const model = createModel(
      'gated-pixelcnn',
      { channels: 4, gatedLayers: 2, firstKernel: 3, outputChannels: 8, conditional: true, mapChannels: 3 },
      { eventShape: [5, 5, 1], numClasses: 3 },
    );
    const map = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    expectAutoregressive(model, tf.randomUniform([2, 5, 5, 1], 0, 1, 'float32', 4), labels(2, 3), map);
    map.dispose();
    model.dispose();
  });
});

describe('a conditioning map reaches each output inside its receptive-field crop only', () => {
  it('∂out(r, c)/∂map(r′, c′) ≠ 0 at (r, c) itself, = 0 below row r and outside the crop', () => {
    const [H, W] = [9, 9];
    const model = createModel(
      'gated-pixelcnn',
      { channels: 4, gatedLayers: 2, firstKernel: 3, kernelSize: 3, outputChannels: 8, mapChannels: 2 },
      { eventShape: [H, W, 1] },
    ) as unknown as ImageAutoregressiveModel<unknown>;
    const { above, left, right } = model.network.receptiveField;
    const x = tf.randomUniform([2, H, W, 1], 0, 1, 'float32', 12);
    const map = tf.randomNormal([2, H, W, 2], 0, 1, 'float32', 13) as tf.Tensor4D;
    for (const [r, c] of [
      [4, 4],
      [0, 0],
      [8, 2],
    ]) {
      const g = tf.tidy(() => {
        const w = tf.randomNormal([1, 1, 1, model.head.paramsPerPosition], 0, 1, 'float32', r * W + c);
        const grad = tf.grad((m: tf.Tensor) => {
          const out = model.networkParams(x, 0, undefined, m as tf.Tensor4D);
          return tf.sum(tf.mul(tf.slice(out, [0, r, c, 0], [-1, 1, 1, -1]), w));
        })(map);
        return tf.sum(tf.abs(grad), [0, 3]).dataSync() as Float32Array;
      });
      expect(g[r * W + c], `∂out(${r},${c})/∂map(${r},${c})`).toBeGreaterThan(0);
      for (let q = 0; q < H * W; q++) {
        const [rr, cc] = [Math.floor(q / W), q % W];
        const inCrop = rr <= r && rr >= r - above && cc >= c - left && cc <= c + right;
        if (!inCrop) expect(g[q], `∂out(${r},${c})/∂map(${rr},${cc})`).toBe(0);
      }
    }
    tf.dispose([x, map]);
    model.dispose();
  });
});

describe('receptive fields', () => {
  const H = 7;
  const W = 7;

  /** Pixel (r', c') is in the field of (r, c): the rows above within the reach, and the row's left part. */
  function inField(r: number, c: number, rr: number, cc: number, reach: number): boolean {
    if (rr === r) return cc < c && cc >= c - reach;
    return rr < r && rr >= r - reach && Math.abs(cc - c) <= reach;
  }

  it('Gated PixelCNN sees every earlier pixel of its field: no blind spot', () => {
    const model = createModel(
      'gated-pixelcnn',
      { channels: 6, gatedLayers: 2, firstKernel: 3, kernelSize: 3, outputChannels: 8 },
      { eventShape: [H, W, 1] },
    ) as unknown as ImageAutoregressiveModel<unknown>;
    const { above, left, right } = model.network.receptiveField;
    expect([above, left, right]).toEqual([3, 3, 3]);
    const x = tf.randomUniform([2, H, W, 1], 0, 1, 'float32', 5);
    for (const [r, c] of [
      [3, 3],
      [6, 1],
      [4, 6],
      [6, 6],
    ]) {
      const g = sensitivity(model, x, r * W + c, 0);
      for (let q = 0; q < H * W; q++) {
        const [rr, cc] = [Math.floor(q / W), q % W];
        const expected = inField(r, c, rr, cc, 3);
        expect(g[q] > 0, `∂out(${r},${c})/∂in(${rr},${cc})`).toBe(expected);
      }
    }
    x.dispose();
    model.dispose();
  });

  it("PixelCNN's stacked masked convolutions have a blind spot inside the same box", () => {
    const model = createModel(
      'pixelcnn',
      { channels: 8, residualBlocks: 2, firstKernel: 3, kernelSize: 3, outputChannels: 8 },
      { eventShape: [H, W, 1] },
    ) as unknown as ImageAutoregressiveModel<unknown>;
    const x = tf.randomUniform([2, H, W, 1], 0, 1, 'float32', 6);
    const [r, c] = [5, 3];
    const g = sensitivity(model, x, r * W + c, 0);
    const missed: string[] = [];
    for (let q = 0; q < H * W; q++) {
      const [rr, cc] = [Math.floor(q / W), q % W];
      if (inField(r, c, rr, cc, 3) && g[q] === 0) missed.push(`(${rr},${cc})`);
    }
    // The pixels above-right that the masks' causal cones never reach, e.g. (4, 5) and (3, 6).
    expect(missed).toContain('(4,5)');
    expect(missed.length).toBeGreaterThan(0);
    x.dispose();
    model.dispose();
  });
});
