/**
 * Examples of any event shape are handled as vectors inside the models (core's `flattenBatch`):
 * convolutional networks reshape back to the image they need, and decoded means are returned in the
 * event shape.
 */
import { ConfigError, imageShapeOf } from '@genzoo/core';

/**
 * The [height, width, channels] image behind an event shape, for convolutional networks: rank-3 shapes as
 * they are; flattened square images ([784], [3072]) with 1 or 3 channels unflattened.
 */
export function convImageShape(eventShape: readonly number[]): [number, number, number] {
  const shape = imageShapeOf(eventShape);
  if (shape) return shape;
  throw new ConfigError(
    `network.kind "conv" needs image data ([height, width, channels], or a flattened square image with 1 or 3 ` +
      `channels), got examples of shape [${eventShape.join(', ')}]`,
  );
}
