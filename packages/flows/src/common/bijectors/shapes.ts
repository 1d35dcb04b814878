/** Shape arithmetic and checks shared by the bijectors. */
import { eventSize, ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';

export { eventSize };

/** Throws a ShapeError naming the layer unless x is [batch, ...eventShape]. */
export function checkEvent(layer: string, x: tf.Tensor, eventShape: readonly number[]): void {
  const got = x.shape.slice(1);
  if (got.length !== eventShape.length || got.some((d, i) => d !== eventShape[i])) {
    throw new ShapeError(
      `${layer}: expected examples of shape [batch, ${eventShape.join(', ')}], got [${x.shape.join(', ')}]`,
    );
  }
}

/** Axes 1 … rank−1: everything but the batch axis. */
export function eventAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => i + 1);
}

/** Number of positions sharing one channel: H·W for images [H, W, C], 1 for vectors [D]. */
export function positionsPerChannel(eventShape: readonly number[]): number {
  return eventSize(eventShape.slice(0, -1));
}

/** The channel (last) axis size of an event shape. */
export function channelsOf(eventShape: readonly number[]): number {
  return eventShape[eventShape.length - 1];
}
