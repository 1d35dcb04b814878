/**
 * The latent pictures on a hand-built linear model whose decoder is known exactly: E[x|z] puts z_i on
 * pixel i (plus an offset b) and the encoder reads it back, so every decoded tile reveals the code it was
 * decoded from.
 */
import '@tensorflow/tfjs-backend-cpu';
import type { GenerativeModel, LatentModel, LikelihoodOptions } from '@genzoo/core';
import { ConfigError, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { latentArithmetic } from '../src/latent/arithmetic.js';
import { latentDimensionKl } from '../src/latent/dimension-kl.js';
import { interpolate } from '../src/latent/interpolation.js';
import { lerp, slerp } from '../src/latent/interpolation-paths.js';
import { latentManifoldGrid } from '../src/latent/manifold-grid.js';
import { normalQuantile } from '../src/latent/normal-quantile.js';
import { renderLatentPicture } from '../src/latent/picture.js';
import { latentTraversals } from '../src/latent/traversals.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPE = [4, 4, 1] as const;
const PIXELS = 16;

/**
 * decode(z) = [z, 0…0] + b (+ class offset), reshaped to 4×4×1; encode(x) = (x − b)[:d] with fixed
 * posterior standard deviations. encode(decode(z)) = z.
 */
class LinearLatentModel implements GenerativeModel, LatentModel {
  readonly name = 'linear-test';
  readonly config = {};
  readonly eventShape = SHAPE;
  readonly likelihood = { kind: 'none' } as const;
  readonly offset: number[];
  constructor(
    readonly latentDim: number,
    readonly stddev: number[] = Array.from({ length: latentDim }, () => 1),
  ) {
    this.offset = Array.from({ length: PIXELS }, (_, i) => 0.5 + 0.01 * i);
  }
  /** The class offset added to every pixel (conditional subclass). */
  protected shift(_options?: LikelihoodOptions): tf.Tensor | number {
    return 0;
  }
  encode(x: tf.Tensor, options?: LikelihoodOptions) {
    return tf.tidy(() => {
      const n = x.shape[0];
      const flat = tf.sub(tf.sub(tf.reshape(x, [n, PIXELS]), this.offset), this.shift(options));
      const mean = tf.slice(flat, [0, 0], [n, this.latentDim]) as tf.Tensor2D;
      const stddev = tf.broadcastTo(tf.tensor1d(this.stddev), [n, this.latentDim]) as tf.Tensor2D;
      return { mean, stddev };
    });
  }
  decode(z: tf.Tensor2D, options?: LikelihoodOptions): tf.Tensor {
    return tf.tidy(() => {
      const n = z.shape[0];
      const padded = tf.pad(z, [
        [0, 0],
        [0, PIXELS - this.latentDim],
      ]);
      return tf.reshape(tf.add(tf.add(padded, this.offset), this.shift(options)), [n, ...SHAPE]);
    });
  }
  /** The examples whose codes are the given rows, [n, 4, 4, 1]. */
  examples(codes: number[][], options?: LikelihoodOptions): tf.Tensor {
    return tf.tidy(() => this.decode(tf.tensor2d(codes), options));
  }
  variables() {
    return {};
  }
  sample(): tf.Tensor {
    throw new Error('not used');
  }
  trainingPlan(): never {
    throw new Error('not used');
  }
  dispose(): void {}
}

/** Adds 10·class to every pixel, so a tile shows which class it was decoded with. */
class ConditionalLinearModel extends LinearLatentModel {
  readonly numClasses = 3;
  protected override shift(options?: LikelihoodOptions): tf.Tensor {
    if (!options?.condition) throw new Error('the conditional test model needs a condition');
    return tf.matMul(options.condition, tf.tensor2d([[0], [10], [20]]));
  }
}

/** Tiles of a picture as rows of pixel values. */
function tiles(images: tf.Tensor): number[][] {
  const n = images.shape[0];
  return (tf.tidy(() => tf.reshape(images, [n, PIXELS])).arraySync() as number[][]).map((t) => t);
}

/** The code a tile was decoded from (its first d pixels minus the offset). */
function codeOf(model: LinearLatentModel, tile: number[]): number[] {
  return tile.slice(0, model.latentDim).map((v, i) => v - model.offset[i]);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i], `index ${i}`).toBeCloseTo(expected[i], digits);
}

/** Runs f, disposes the tensors it returns and checks that no others were left behind. */
function withoutLeaks(f: () => tf.Tensor | tf.Tensor[] | undefined): void {
  const before = tf.memory().numTensors;
  const out = f();
  if (out) tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
}

describe('latentManifoldGrid', () => {
  const model = new LinearLatentModel(3);

  it('decodes a size × size grid of Φ⁻¹-spaced codes: z_i grows to the right, z_j upwards, others 0', () => {
    const grid = latentManifoldGrid(model, { size: 5 });
    expect([grid.rows, grid.columns, grid.dims]).toEqual([5, 5, [0, 1]]);
    expect(grid.images.shape).toEqual([25, ...SHAPE]);
    expectClose(
      grid.values,
      [0, 1, 2, 3, 4].map((k) => normalQuantile(0.05 + (0.9 * k) / 4)),
      12,
    );
    const all = tiles(grid.images);
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 5; c++) {
        expectClose(codeOf(model, all[r * 5 + c]), [grid.values[c], grid.values[4 - r], 0]);
      }
    }
    grid.images.dispose();
  });

  it('with an odd size the centre cell decodes z = 0, and the corners are Φ⁻¹(0.05), Φ⁻¹(0.95)', () => {
    const grid = latentManifoldGrid(model, { size: 7, range: [0.05, 0.95] });
    expect(grid.values[3]).toBeCloseTo(0, 15);
    const all = tiles(grid.images);
    expectClose(all[3 * 7 + 3], model.offset, 6);
    expectClose(codeOf(model, all[6]), [normalQuantile(0.95), normalQuantile(0.95), 0]);
    expectClose(codeOf(model, all[6 * 7]), [normalQuantile(0.05), normalQuantile(0.05), 0]);
    grid.images.dispose();
  });

  it('varies the chosen dimensions around a base code', () => {
    const grid = latentManifoldGrid(model, { size: 2, dims: [2, 0], base: [7, 8, 9], range: [0.1, 0.9] });
    const q = normalQuantile(0.9);
    // Top-left: z_2 = Φ⁻¹(0.1) (column 0), z_0 = Φ⁻¹(0.9) (row 0, the top); z_1 keeps the base value 8.
    expectClose(codeOf(model, tiles(grid.images)[0]), [q, 8, -q]);
    grid.images.dispose();
  });

  it('without dims, spans the two highest-KL dimensions over reference examples', () => {
    const reference = model.examples([
      [0, 3, 0.1],
      [0, -3, -0.1],
    ]);
    // Average KL with σ = 1: ½μ², so dimension 1 (4.5) ranks first, then 2 (0.005), then 0 (0).
    const grid = latentManifoldGrid(model, { size: 2, reference });
    expect(grid.dims).toEqual([1, 2]);
    expectClose(grid.kl!, latentDimensionKl(model, reference));
    const given = latentManifoldGrid(model, { size: 2, dims: [0, 1], reference });
    expect([given.dims, given.kl]).toEqual([[0, 1], undefined]);
    tf.dispose([reference, grid.images, given.images]);
  });

  it('renders to a size × size grid of tiles with 2-pixel padding', () => {
    const grid = latentManifoldGrid(model, { size: 3 });
    const image = renderLatentPicture(grid);
    expect([image.width, image.height]).toEqual([3 * 4 + 4 * 2, 3 * 4 + 4 * 2]);
    grid.images.dispose();
  });

  it('rejects a 1-D latent space and bad options, naming the problem', () => {
    expect(() => latentManifoldGrid(new LinearLatentModel(1))).toThrow(ConfigError);
    expect(() => latentManifoldGrid(new LinearLatentModel(1))).toThrow('has latentDim 1');
    expect(() => latentManifoldGrid(model, { dims: [0, 3] })).toThrow('latent dimension 3 does not exist');
    expect(() => latentManifoldGrid(model, { dims: [1, 1] })).toThrow('dimensions repeat');
    expect(() => latentManifoldGrid(model, { dims: [0, 1, 2] as never })).toThrow('exactly 2 dimensions');
    expect(() => latentManifoldGrid(model, { size: 1 })).toThrow('size must be an integer ≥ 2');
    expect(() => latentManifoldGrid(model, { range: [0, 0.9] })).toThrow('inside (0, 1)');
    expect(() => latentManifoldGrid(model, { base: [0, 0] })).toThrow('base has length 2');
  });

  it('leaks no tensors', () => {
    withoutLeaks(() => latentManifoldGrid(model, { size: 4 }).images);
  });
});

describe('latentTraversals', () => {
  const model = new LinearLatentModel(3, [1, 0.1, 0.5]);
  const mu = [0.5, -1, 2];

  it('rows are dimensions, columns values over the range; the other dimensions keep the posterior mean', () => {
    const x = model.examples([mu]);
    const traversal = latentTraversals(model, x, { steps: 5, range: [-2, 2] });
    expect([traversal.rows, traversal.columns, traversal.dims, traversal.values]).toEqual([
      3,
      5,
      [0, 1, 2],
      [-2, -1, 0, 1, 2],
    ]);
    const all = tiles(traversal.images);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 5; c++) {
        const expected = [...mu];
        expected[r] = traversal.values[c];
        expectClose(codeOf(model, all[r * 5 + c]), expected);
      }
    }
    tf.dispose([x, traversal.images]);
  });

  it('reports the closed-form KL per dimension and orders rows by it with order: kl', () => {
    // KL_i = ½(μ² + σ² − 1 − ln σ²) for μ = (0.5, −1, 2), σ = (1, 0.1, 0.5).
    const expected = mu.map((m, i) => {
      const v = model.stddev[i] ** 2;
      return 0.5 * (m * m + v - 1 - Math.log(v));
    });
    const x = model.examples([mu]);
    const traversal = latentTraversals(model, x, { order: 'kl', dims: [0, 1, 2] });
    expectClose(traversal.kl, expected);
    expect(traversal.dims).toEqual([2, 1, 0]);
    expect(traversal.columns).toBe(11);
    // The first row traverses dimension 2.
    expectClose(codeOf(model, tiles(traversal.images)[0]), [0.5, -1, -3]);
    tf.dispose([x, traversal.images]);
  });

  it('ranks by the average KL over reference examples when given', () => {
    const x = model.examples([[0, 0, 0]]);
    const reference = model.examples([
      [3, 0, 0],
      [-3, 0, 0],
    ]);
    // Dimension 0's means are spread (μ² = 9); dimension 1's small σ still costs −ln σ² − 1 + σ² ≈ 3.6.
    const traversal = latentTraversals(model, x, { order: 'kl', reference, dims: [1, 0] });
    expect(traversal.dims).toEqual([0, 1]);
    expectClose(traversal.kl, latentDimensionKl(model, reference));
    expect(traversal.kl[0]).toBeCloseTo(4.5, 5);
    tf.dispose([x, reference, traversal.images]);
  });

  it('traverses one example only, and checks its options', () => {
    const two = model.examples([mu, mu]);
    expect(() => latentTraversals(model, two)).toThrow('traverses around one example, got 2');
    const one = model.examples([mu]);
    expect(() => latentTraversals(model, one, { dims: [] })).toThrow('dims is empty');
    expect(() => latentTraversals(model, one, { steps: 1 })).toThrow(ConfigError);
    expect(() => latentTraversals(model, one, { range: [1, -1] })).toThrow('increasing');
    expect(() => latentTraversals(model, one, { order: 'size' as never })).toThrow('order must be');
    expect(() => latentTraversals(model, tf.zeros([1, 3, 3, 1]))).toThrow(ShapeError);
    tf.dispose([two, one]);
  });

  it('accepts one example without a batch axis and leaks no tensors', () => {
    const x = tf.tidy(() => tf.squeeze(model.examples([mu]), [0]));
    withoutLeaks(() => {
      const traversal = latentTraversals(model, x, { steps: 3, order: 'kl', reference: x });
      expect(traversal.images.shape).toEqual([9, ...SHAPE]);
      return traversal.images;
    });
    x.dispose();
  });
});

describe('interpolate', () => {
  const model = new LinearLatentModel(2);

  it('linear: decodes (1 − t)·z_a + t·z_b, framed by the two inputs', () => {
    const za = [1, 2];
    const zb = [-3, 0.5];
    const xa = model.examples([za]);
    const xb = model.examples([zb]);
    const row = interpolate(model, xa, xb, { steps: 4 });
    expect([row.rows, row.columns, row.method]).toEqual([1, 6, 'linear']);
    expectClose(row.t, [0, 1 / 3, 2 / 3, 1], 12);
    const all = tiles(row.images);
    expectClose(all[0], tiles(xa)[0], 6);
    expectClose(all[5], tiles(xb)[0], 6);
    row.t.forEach((t, k) => {
      expectClose(codeOf(model, all[1 + k]), lerp(za, zb, t));
    });
    tf.dispose([xa, xb, row.images]);
  });

  it('spherical: keeps the norm of equal-norm codes, where the linear path shrinks', () => {
    const xa = model.examples([[2, 0]]);
    const xb = model.examples([[0, 2]]);
    const spherical = interpolate(model, xa, xb, { steps: 5, method: 'spherical', withInputs: false });
    const linear = interpolate(model, xa, xb, { steps: 5, withInputs: false });
    expect(spherical.columns).toBe(5);
    const normOf = (tile: number[]) => Math.hypot(...codeOf(model, tile));
    for (const tile of tiles(spherical.images)) expect(normOf(tile)).toBeCloseTo(2, 5);
    expect(normOf(tiles(linear.images)[2])).toBeCloseTo(Math.SQRT2, 5);
    tiles(spherical.images).forEach((tile, k) => {
      expectClose(codeOf(model, tile), slerp([2, 0], [0, 2], k / 4));
    });
    tf.dispose([xa, xb, spherical.images, linear.images]);
  });

  it('interpolates n pairs as n rows', () => {
    const xa = model.examples([
      [1, 0],
      [0, 1],
    ]);
    const xb = model.examples([
      [3, 0],
      [0, 3],
    ]);
    const rows = interpolate(model, xa, xb, { steps: 3 });
    expect([rows.rows, rows.columns]).toEqual([2, 5]);
    const all = tiles(rows.images);
    expectClose(codeOf(model, all[2]), [2, 0]);
    expectClose(codeOf(model, all[5 + 2]), [0, 2]);
    const image = renderLatentPicture(rows);
    expect([image.width, image.height]).toEqual([5 * 4 + 6 * 2, 2 * 4 + 3 * 2]);
    tf.dispose([xa, xb, rows.images]);
  });

  it('rejects unpaired inputs and unknown methods, and leaks no tensors', () => {
    const xa = model.examples([[1, 0]]);
    const xb = model.examples([
      [3, 0],
      [0, 3],
    ]);
    expect(() => interpolate(model, xa, xb)).toThrow('xa has 1 example(s), xb has 2');
    expect(() => interpolate(model, xa, xa, { method: 'cubic' as never })).toThrow('method must be');
    withoutLeaks(() => interpolate(model, xa, xa, { method: 'spherical' }).images);
    tf.dispose([xa, xb]);
  });
});

describe('latentArithmetic', () => {
  const model = new LinearLatentModel(3);

  it('decodes z_a − z_b + z_c after the three inputs, one row per triple', () => {
    const codes = [
      [1, 2, 3],
      [0.5, -1, 0],
      [-2, 0, 1],
    ];
    const [a, b, c] = codes.map((z) => model.examples([z]));
    const picture = latentArithmetic(model, a, b, c);
    expect([picture.rows, picture.columns]).toEqual([1, 4]);
    const all = tiles(picture.images);
    [a, b, c].forEach((x, k) => {
      expectClose(all[k], tiles(x)[0], 6);
    });
    expectClose(codeOf(model, all[3]), [1 - 0.5 - 2, 2 + 1 + 0, 3 - 0 + 1]);
    const alone = latentArithmetic(model, a, b, c, { withInputs: false });
    expect(alone.columns).toBe(1);
    expectClose(tiles(alone.images)[0], all[3], 6);
    tf.dispose([a, b, c, picture.images, alone.images]);
  });

  it('rejects triples of different sizes and leaks no tensors', () => {
    const one = model.examples([[1, 2, 3]]);
    const two = model.examples([
      [1, 2, 3],
      [0, 0, 0],
    ]);
    expect(() => latentArithmetic(model, one, two, one)).toThrow('a has 1 example(s), b has 2');
    withoutLeaks(() => latentArithmetic(model, two, two, two).images);
    tf.dispose([one, two]);
  });
});

describe('conditional models', () => {
  const model = new ConditionalLinearModel(2);
  const classOf = (k: number, n = 1) => tf.oneHot(tf.fill([n], k, 'int32'), 3) as tf.Tensor2D;

  it('pass the condition to encode and decode', () => {
    const condition = classOf(2);
    const x = model.examples([[1, -1]], { condition });
    const grid = latentManifoldGrid(model, { size: 3, condition });
    // Centre: z = 0 decoded with class 2 adds 20 to every pixel.
    expectClose(
      tiles(grid.images)[4],
      model.offset.map((b) => b + 20),
      5,
    );
    const traversal = latentTraversals(model, x, { steps: 3, condition });
    // Encoding removed the class offset, so the middle tile of row 0 is the code (0, −1) plus class 2.
    expectClose(tiles(traversal.images)[1].slice(0, 2), [model.offset[0] + 20, model.offset[1] - 1 + 20]);
    tf.dispose([condition, x, grid.images, traversal.images]);
  });

  it('take one condition per input row', () => {
    const condition = tf.concat([classOf(0), classOf(1)]) as tf.Tensor2D;
    const xa = model.examples(
      [
        [1, 0],
        [0, 1],
      ],
      { condition },
    );
    const rows = interpolate(model, xa, xa, { steps: 2, withInputs: false, condition });
    const all = tiles(rows.images);
    expectClose(codeOf(model, all[0]), [1, 0]);
    expectClose(
      codeOf(model, all[2]).map((v) => v - 10),
      [0, 1],
    );
    tf.dispose([condition, xa, rows.images]);
  });

  it('need a condition of the right shape; unconditional models take none', () => {
    const x = model.examples([[0, 0]], { condition: classOf(0) });
    expect(() => latentManifoldGrid(model)).toThrow('conditional on 3 classes');
    const wrong = tf.zeros([1, 4]) as tf.Tensor2D;
    expect(() => latentTraversals(model, x, { condition: wrong })).toThrow(ShapeError);
    const condition = classOf(0);
    expect(() => latentManifoldGrid(new LinearLatentModel(2), { condition })).toThrow(
      'is not class-conditional',
    );
    tf.dispose([x, wrong, condition]);
  });
});

describe('model output checks', () => {
  it('a decoder returning the wrong shape is a ShapeError naming the model, without leaks', () => {
    const model = new LinearLatentModel(2);
    model.decode = (z: tf.Tensor2D) => tf.zeros([z.shape[0], 5]);
    withoutLeaks(() => {
      expect(() => latentManifoldGrid(model, { size: 2 })).toThrow('linear-test.decode: expected shape');
      return undefined;
    });
  });
});
