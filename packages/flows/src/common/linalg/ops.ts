/**
 * Differentiable log |det W| and W⁻¹ for square matrices, computed on the host (lu.ts):
 *
 *   ∂ log |det W| / ∂W = W⁻ᵀ              (Jacobi's formula)
 *   d(W⁻¹) = −W⁻¹ dW W⁻¹,  so  ∂L/∂W = −W⁻ᵀ (∂L/∂W⁻¹) W⁻ᵀ
 *
 * so the plain invertible 1×1 convolution trains its log-det term and its inverse pass is differentiable
 * too (needed when a flow is trained through its inverse, as an IAF-style sampler would be).
 */
import { ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { inverseOf, logAbsDeterminant, luDecompose } from './lu.js';

function squareSize(w: tf.Tensor, what: string): number {
  if (w.rank !== 2 || w.shape[0] !== w.shape[1])
    throw new ShapeError(`${what}: expected a square matrix, got [${w.shape}]`);
  return w.shape[0];
}

function hostInverse(w: tf.Tensor, n: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(inverseOf(luDecompose(w.dataSync(), n))), [n, n]);
}

/** log |det W| as a scalar, with gradient W⁻ᵀ. */
export const logAbsDet = tf.customGrad(((w: tf.Tensor, save: tf.GradSaveFunc) => {
  const n = squareSize(w, 'logAbsDet');
  const value = tf.scalar(logAbsDeterminant(luDecompose(w.dataSync(), n)));
  save([hostInverse(w, n)]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, [inverse]: tf.Tensor[]) => tf.mul(dy, tf.transpose(inverse)),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (w: tf.Tensor2D) => tf.Scalar;

/** W⁻¹, with the gradient of the matrix inverse. */
export const matrixInverse = tf.customGrad(((w: tf.Tensor, save: tf.GradSaveFunc) => {
  const n = squareSize(w, 'matrixInverse');
  const value = hostInverse(w, n);
  save([value]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, [inverse]: tf.Tensor[]) => {
      const inverseT = tf.transpose(inverse);
      return tf.neg(tf.matMul(tf.matMul(inverseT, dy as tf.Tensor2D), inverseT));
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (w: tf.Tensor2D) => tf.Tensor2D;
