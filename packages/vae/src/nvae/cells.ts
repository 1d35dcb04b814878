/**
 * The building blocks of NVAE (Vahdat & Kautz 2020), as in the paper's Figure 3 and §3.1:
 *
 *   encoder cell     x + SE(conv3×3(Swish(BN(conv3×3(Swish(BN(x)))))))
 *   generative cell  x + SE(BN(conv1×1(Swish(BN(dw5×5(Swish(BN(conv1×1(BN(x))))))))))
 *   SE               y ⊙ σ(W₂ ReLU(W₁ mean_hw(y)))       (squeeze-and-excitation, Hu et al. 2018)
 *
 * The generative cell widens the channels E-fold (`expansion`) between its two 1×1 convolutions, where a
 * depthwise 5×5 convolution grows the receptive field cheaply. A cell that changes the resolution has a
 * projection on its skip path: the downsampling encoder cell's first 3×3 convolution has stride 2 and
 * doubles the channels (skip: a 1×1 convolution with stride 2); the upsampling generative cell
 * works on the nearest-neighbour upsampled input and halves the channels (skip: a 1×1 convolution of it).
 *
 * The residual branches are added as the figure draws them (the authors' code scales them by 0.1 too).
 * Every convolution kernel is registered with `SpectralRegularizer` when it is given one (the paper's
 * spectral regularization, §3.2).
 */
import { BatchNorm, Conv2D, Dense, initializers, type ParameterStore, Pointwise } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../common/objectives/stop-gradient.js';

/** Swish(x) = x · σ(x) (Ramachandran et al. 2017). */
export function swish<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x)) as T;
}

/**
 * λ Σ_i σ(W_i), the sum of the largest singular values of the registered convolution kernels (each read
 * as the matrix [kh·kw·C_in, C_out]), estimated by one step of power iteration per training step from a
 * persistent vector u_i (Miyato et al. 2018): v = W u/‖W u‖, u ← Wᵀv/‖Wᵀv‖, σ = vᵀ W u with u, v held
 * constant, so ∇σ = v uᵀ. The vectors are non-trainable state of the store, so checkpoints save them and
 * a resumed run continues the same iteration.
 */
export class SpectralRegularizer {
  private readonly kernels: Array<{ matrix: tf.Variable; u: tf.Variable }> = [];

  constructor(private readonly store: ParameterStore) {}

  register(key: string, kernel: tf.Variable): void {
    const columns = kernel.shape[kernel.shape.length - 1];
    const u = this.store.create(`${key}/spectralU`, [columns], initializers.normal(1), false);
    this.kernels.push({ matrix: kernel, u });
  }

  get size(): number {
    return this.kernels.length;
  }

  /** Σ_i σ(W_i) with one power-iteration step each (updating u_i); differentiable in the kernels. */
  sum(): tf.Scalar {
    return tf.tidy(() => {
      const terms = this.kernels.map(({ matrix, u }) => {
        const w = tf.reshape(matrix, [-1, u.shape[0]]) as tf.Tensor2D;
        const { v, next } = tf.tidy(() => {
          const constant = stopGradient(w);
          const v = normalize(tf.matMul(constant, tf.expandDims(u, 1)));
          // + 10⁻⁶ u keeps u where W is zero (the zero-initialized heads), where Wᵀv would lose it.
          const next = normalize(
            tf.add(tf.matMul(constant, v, true, false), tf.mul(1e-6, tf.expandDims(u, 1))),
          );
          return { v, next };
        });
        u.assign(tf.reshape(next, [-1]));
        return tf.sum(tf.mul(tf.matMul(w, next), v));
      });
      return terms.length === 0 ? tf.scalar(0) : (tf.addN(terms) as tf.Scalar);
    });
  }
}

function normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x), 1e-12));
}

/**
 * A depthwise k×k convolution, stride 1, 'same' padding, with its gradients written out: the wasm
 * backend has the forward kernel but neither backward one. For an odd k,
 *
 *   ∂L/∂x = depthwise(∂L/∂y, W flipped in both spatial axes)
 *   ∂L/∂W[i, j, c] = Σ_{b,h,w} x_pad[b, h + i, w + j, c] · ∂L/∂y[b, h, w, c]
 *
 * the second as one 'valid' depthwise convolution of the padded input, read as a single image with B·C
 * channels, by ∂L/∂y as a filter of those B·C channels.
 */
export function depthwiseSame(x: tf.Tensor4D, filter: tf.Tensor4D): tf.Tensor4D {
  const k = filter.shape[0];
  const pad = (k - 1) / 2;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, ws, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xs, ws]);
    return {
      value: tf.depthwiseConv2d(xs, ws, 1, 'same'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xSaved, wSaved] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [b, h, w, c] = xSaved.shape;
        const dx = tf.depthwiseConv2d(dy as tf.Tensor4D, tf.reverse(wSaved, [0, 1]), 1, 'same');
        const padded = tf.pad(xSaved, [
          [0, 0],
          [pad, pad],
          [pad, pad],
          [0, 0],
        ]);
        const image = tf.reshape(tf.transpose(padded, [1, 2, 0, 3]), [1, h + 2 * pad, w + 2 * pad, b * c]);
        const dyFilter = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [h, w, b * c, 1]);
        const perExample = tf.depthwiseConv2d(image as tf.Tensor4D, dyFilter as tf.Tensor4D, 1, 'valid');
        const dw = tf.reshape(tf.sum(tf.reshape(perExample, [k, k, b, c]), 2), [k, k, c, 1]);
        return [dx, dw];
      },
    };
  });
  return op(x, filter) as tf.Tensor4D;
}

/** Squeeze-and-excitation: channel gates from the spatial means, C → max(C/r, 4) → C. */
export class SqueezeExcitation {
  private readonly squeeze: Dense;
  private readonly excite: Dense;

  constructor(store: ParameterStore, key: string, channels: number, reduction: number) {
    const hidden = Math.max(Math.floor(channels / reduction), 4);
    this.squeeze = new Dense(store, `${key}/squeeze`, channels, hidden);
    this.excite = new Dense(store, `${key}/excite`, hidden, channels);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    const [b, , , c] = x.shape;
    const pooled = tf.mean(x, [1, 2]) as tf.Tensor2D;
    const gates = tf.sigmoid(this.excite.apply(tf.relu(this.squeeze.apply(pooled))));
    return tf.mul(x, tf.reshape(gates, [b, 1, 1, c])) as tf.Tensor4D;
  }
}

/** Every BatchNorm of NVAE's cells normalizes by core's fused op (the same numbers, several times faster). */
const FUSED = { fused: true } as const;

export interface CellOptions {
  /** Squeeze-and-excitation reduction r. */
  seReduction: number;
  spectral?: SpectralRegularizer;
}

/**
 * The encoder's residual cell (Figure 3b): BN – Swish – conv3×3 – BN – Swish – conv3×3 – SE, added to
 * the input. `downsample`: the first convolution has stride 2 and outputs 2C channels.
 */
export class EncoderCell {
  private readonly norm1: BatchNorm;
  private readonly conv1: Conv2D;
  private readonly norm2: BatchNorm;
  private readonly conv2: Conv2D;
  private readonly se: SqueezeExcitation;
  private readonly skip?: Conv2D;

  constructor(
    store: ParameterStore,
    key: string,
    channels: number,
    downsample: boolean,
    options: CellOptions,
  ) {
    const out = downsample ? 2 * channels : channels;
    this.norm1 = new BatchNorm(store, `${key}/bn1`, channels, FUSED);
    this.conv1 = new Conv2D(store, `${key}/conv1`, channels, out, {
      kernelSize: 3,
      stride: downsample ? 2 : 1,
    });
    this.norm2 = new BatchNorm(store, `${key}/bn2`, out, FUSED);
    this.conv2 = new Conv2D(store, `${key}/conv2`, out, out, { kernelSize: 3 });
    this.se = new SqueezeExcitation(store, `${key}/se`, out, options.seReduction);
    if (downsample) this.skip = new Conv2D(store, `${key}/skip`, channels, out, { kernelSize: 1, stride: 2 });
    for (const [name, conv] of [
      ['conv1', this.conv1],
      ['conv2', this.conv2],
      ['skip', this.skip],
    ] as const) {
      if (conv) options.spectral?.register(`${key}/${name}`, conv.kernel);
    }
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    let h = this.conv1.apply(swish(this.norm1.apply(x, training)));
    h = this.conv2.apply(swish(this.norm2.apply(h, training)));
    h = this.se.apply(h);
    const skip = this.skip ? this.skip.apply(x) : x;
    return tf.add(skip, h) as tf.Tensor4D;
  }
}

/**
 * The generative model's residual cell (Figure 3a): BN – conv1×1 (C → EC) – BN – Swish – depthwise 5×5
 * – BN – Swish – conv1×1 (EC → C) – BN – SE, added to the input. `upsample`: the cell works on the
 * input upsampled 2× (nearest neighbour) and outputs C/2 channels.
 */
export class GenerativeCell {
  private readonly norm0: BatchNorm;
  private readonly expand: Pointwise;
  private readonly norm1: BatchNorm;
  private readonly depthwise: tf.Variable;
  private readonly norm2: BatchNorm;
  private readonly project: Pointwise;
  private readonly norm3: BatchNorm;
  private readonly se: SqueezeExcitation;
  private readonly skip?: Pointwise;

  constructor(
    store: ParameterStore,
    key: string,
    channels: number,
    expansion: number,
    private readonly upsample: boolean,
    options: CellOptions,
  ) {
    const out = upsample ? channels / 2 : channels;
    const wide = expansion * out;
    this.norm0 = new BatchNorm(store, `${key}/bn0`, channels, FUSED);
    this.expand = new Pointwise(store, `${key}/expand`, channels, wide);
    this.norm1 = new BatchNorm(store, `${key}/bn1`, wide, FUSED);
    this.depthwise = store.create(`${key}/depthwise`, [5, 5, wide, 1], initializers.glorotUniform());
    this.norm2 = new BatchNorm(store, `${key}/bn2`, wide, FUSED);
    this.project = new Pointwise(store, `${key}/project`, wide, out);
    this.norm3 = new BatchNorm(store, `${key}/bn3`, out, FUSED);
    this.se = new SqueezeExcitation(store, `${key}/se`, out, options.seReduction);
    if (upsample) this.skip = new Pointwise(store, `${key}/skip`, channels, out);
    options.spectral?.register(`${key}/expand`, this.expand.kernel);
    options.spectral?.register(`${key}/project`, this.project.kernel);
    if (this.skip) options.spectral?.register(`${key}/skip`, this.skip.kernel);
  }

  apply(input: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const [, height, width] = input.shape;
    const x = this.upsample ? tf.image.resizeNearestNeighbor(input, [2 * height, 2 * width]) : input;
    let h = this.expand.apply(this.norm0.apply(x, training));
    h = swish(this.norm1.apply(h, training));
    h = swish(this.norm2.apply(depthwiseSame(h, this.depthwise as tf.Tensor4D), training));
    h = this.norm3.apply(this.project.apply(h), training);
    h = this.se.apply(h);
    return tf.add(this.skip ? this.skip.apply(x) : x, h) as tf.Tensor4D;
  }
}
