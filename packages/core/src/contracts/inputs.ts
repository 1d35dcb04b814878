/**
 * Checks of what callers pass to a model, shared by the model families: examples of any event shape
 * flattened to rows, and one-hot class labels of conditional models. Each failure is an error naming
 * what was expected.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, ShapeError } from '../errors.js';
import { eventSize } from '../likelihood/units.js';

/**
 * x as [batch, D]: accepts [batch, ...eventShape], [batch, D], or any [batch, ...] with D values per example
 * (images for a model of flattened data and vice versa); anything else is a ShapeError naming `what`.
 */
export function flattenBatch(x: tf.Tensor, eventShape: readonly number[], what: string): tf.Tensor2D {
  const d = eventSize(eventShape);
  const shape = x.shape;
  if (shape.length < 2 || eventSize(shape.slice(1)) !== d) {
    throw new ShapeError(
      `${what}: expected [batch, ${eventShape.join(', ')}] or [batch, ${d}], got [${shape.join(', ')}]`,
    );
  }
  return tf.reshape(x, [shape[0], d]);
}

/**
 * Checks one-hot class labels for a conditional model: float32 [batch, numClasses]. Returns them unchanged
 * so the call reads as a guard.
 */
export function checkCondition(
  condition: tf.Tensor | undefined,
  batch: number,
  numClasses: number,
  what: string,
): tf.Tensor2D {
  if (!condition) {
    throw new ConfigError(
      `${what}: this model is class-conditional and needs \`condition\`, one-hot labels [${batch}, ${numClasses}]`,
    );
  }
  if (condition.rank !== 2 || condition.shape[0] !== batch || condition.shape[1] !== numClasses) {
    throw new ShapeError(
      `${what}: condition must be one-hot labels [${batch}, ${numClasses}], got [${condition.shape.join(', ')}]`,
    );
  }
  return condition as tf.Tensor2D;
}
