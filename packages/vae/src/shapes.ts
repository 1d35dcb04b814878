/**
 * Examples of any event shape are handled as vectors inside the models: [batch, 28, 28, 1] images and
 * already flattened [batch, 784] rows are both accepted and flattened to [batch, D]; convolutional
 * networks reshape back to the image they need, and decoded means are returned in the event shape.
 */
import { ConfigError, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export function eventSize(eventShape: readonly number[]): number {
  return eventShape.reduce((a, b) => a * b, 1);
}

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
 * The [height, width, channels] image behind an event shape, for convolutional networks: rank-3 shapes as
 * they are; flattened square images ([784], [3072]) with 1 or 3 channels unflattened.
 */
export function imageShapeOf(eventShape: readonly number[]): [number, number, number] {
  if (eventShape.length === 3) return [eventShape[0], eventShape[1], eventShape[2]];
  if (eventShape.length === 1) {
    const d = eventShape[0];
    for (const channels of [1, 3]) {
      const side = Math.round(Math.sqrt(d / channels));
      if (side * side * channels === d) return [side, side, channels];
    }
  }
  throw new ConfigError(
    `network.kind "conv" needs image data ([height, width, channels], or a flattened square image with 1 or 3 ` +
      `channels), got examples of shape [${eventShape.join(', ')}]`,
  );
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

/** A seed for a call that was given none: fresh randomness, as the SampleOptions contract allows. */
export function seedOrRandom(seed: number | undefined): number {
  return seed ?? Math.floor(Math.random() * 2 ** 31);
}
