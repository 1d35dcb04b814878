/**
 * Invertible 1×1 convolution (Glow, Kingma & Dhariwal 2018, §3.2): a learned C × C matrix W mixing the
 * channels at every position — a learned generalization of the fixed channel permutations between
 * couplings. For inputs [H, W, C] (or vectors [C], P = 1 position):
 *
 *   y_ij = W x_ij,     log |det ∂y/∂x| = H·W · log |det W|,     x_ij = W⁻¹ y_ij
 *
 * `plain` learns W directly (initialized as a random rotation, log |det| = 0); log |det W| and W⁻¹ come
 * from an LU decomposition on the host, with exact gradients (common/linalg/ops.ts). `lu` is Glow's
 * LU-decomposed parameterization W = P L (U + diag(sign(s) ⊙ exp(log|s|))) with P fixed, L unit lower
 * triangular and U strictly upper triangular learned: log |det W| = Σ log|s| costs O(C).
 */
import type { ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Bijector, FlowResult } from '../common/bijectors/bijector.js';
import { perExample } from '../common/bijectors/log-det.js';
import { channelsOf, positionsPerChannel } from '../common/bijectors/shapes.js';
import { luDecompose } from '../common/linalg/lu.js';
import { logAbsDet, matrixInverse } from '../common/linalg/ops.js';
import { randomRotation } from '../common/linalg/rotation.js';

export type Conv1x1Parameterization = 'plain' | 'lu';

/** y = x · Wᵀ over the last axis, for inputs of any rank. */
function mixChannels(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  const channels = w.shape[0];
  const rows = tf.reshape(x, [-1, channels]) as tf.Tensor2D;
  return tf.reshape(tf.matMul(rows, tf.transpose(w)), x.shape);
}

export class InvertibleConv1x1 implements Bijector {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  private readonly positions: number;
  private readonly matrix: () => { weight: tf.Tensor2D; logAbsDet: tf.Scalar };

  constructor(
    params: ParameterStore,
    key: string,
    eventShape: readonly number[],
    parameterization: Conv1x1Parameterization,
    seed: number,
  ) {
    this.name = `invertible-1x1-conv(${parameterization})`;
    this.inputShape = eventShape;
    this.outputShape = eventShape;
    this.positions = positionsPerChannel(eventShape);
    const c = channelsOf(eventShape);
    const rotation = randomRotation(c, seed);
    if (parameterization === 'plain') {
      const weight = params.create(`${key}/weight`, [c, c], () =>
        tf.tensor2d(Float32Array.from(rotation), [c, c]),
      );
      this.matrix = () => ({ weight: weight as tf.Tensor2D, logAbsDet: logAbsDet(weight as tf.Tensor2D) });
    } else {
      this.matrix = luParameterization(params, key, c, rotation);
    }
  }

  forward(x: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const { weight, logAbsDet } = this.matrix();
      return { y: mixChannels(x, weight), logDet: perExample(tf.mul(logAbsDet, this.positions), x.shape[0]) };
    });
  }

  inverse(y: tf.Tensor): FlowResult {
    return tf.tidy(() => {
      const { weight, logAbsDet } = this.matrix();
      return {
        y: mixChannels(y, matrixInverse(weight)),
        logDet: perExample(tf.mul(logAbsDet, -this.positions), y.shape[0]),
      };
    });
  }
}

/** W = P L (U + diag(sign ⊙ exp(log|s|))) from the LU decomposition of the initial rotation. */
function luParameterization(
  params: ParameterStore,
  key: string,
  c: number,
  initial: Float64Array,
): () => { weight: tf.Tensor2D; logAbsDet: tf.Scalar } {
  const { lu, perm } = luDecompose(initial, c);
  // luDecompose gives P₀W = LU with row i of P₀W = row perm[i] of W, so W = P L U with P = P₀ᵀ.
  const permutation = new Float32Array(c * c);
  for (let i = 0; i < c; i++) permutation[perm[i] * c + i] = 1;
  const lower = new Float32Array(c * c);
  const upper = new Float32Array(c * c);
  const lowerMask = new Float32Array(c * c);
  const upperMask = new Float32Array(c * c);
  const sign = new Float32Array(c);
  const logS = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      if (j < i) [lower[i * c + j], lowerMask[i * c + j]] = [lu[i * c + j], 1];
      if (j > i) [upper[i * c + j], upperMask[i * c + j]] = [lu[i * c + j], 1];
    }
    sign[i] = Math.sign(lu[i * c + i]);
    logS[i] = Math.log(Math.abs(lu[i * c + i]));
  }
  const constant = (name: string, values: Float32Array, shape: number[]) =>
    params.createDerived(`${key}/${name}`, shape, () => tf.tensor(values, shape));
  const p = constant('permutation', permutation, [c, c]);
  const signs = constant('sign', sign, [c]);
  const lMask = constant('lower-mask', lowerMask, [c, c]);
  const uMask = constant('upper-mask', upperMask, [c, c]);
  // eye ⊙ v (v broadcast along rows) is diag(v).
  const eye = params.createDerived(`${key}/eye`, [c, c], () => tf.eye(c));
  const l = params.create(`${key}/lower`, [c, c], () => tf.tensor2d(lower, [c, c]));
  const u = params.create(`${key}/upper`, [c, c], () => tf.tensor2d(upper, [c, c]));
  const logScale = params.create(`${key}/log-s`, [c], () => tf.tensor1d(logS));
  return () => {
    const lowerFull = tf.add(tf.mul(l, lMask), eye) as tf.Tensor2D;
    const upperFull = tf.add(tf.mul(u, uMask), tf.mul(eye, tf.mul(signs, tf.exp(logScale)))) as tf.Tensor2D;
    const weight = tf.matMul(p as tf.Tensor2D, tf.matMul(lowerFull, upperFull)) as tf.Tensor2D;
    return { weight, logAbsDet: tf.sum(logScale) };
  };
}
