/**
 * A latent picture: decoded examples (and the inputs they came from) in a rows × columns layout, kept as
 * a tensor so callers can test or post-process the values, and rendered to RGBA by `renderLatentPicture`.
 */

import { imageShapeOf, ShapeError } from '@genzoo/core';
import type * as tf from '@tensorflow/tfjs-core';
import { imageGrid } from '../image/grid.js';
import type { RgbaImage } from '../image/types.js';

export interface LatentPicture {
  /** Tiles in reading order (row by row), [rows·columns, ...eventShape]. The caller disposes it. */
  readonly images: tf.Tensor;
  readonly rows: number;
  readonly columns: number;
}

export interface RenderLatentPictureOptions {
  /** Data values drawn as black and white (default [0, 1]); decoder means outside are clipped. */
  range?: readonly [number, number];
  /** Pixels between and around tiles (default 2). */
  padding?: number;
}

/** The picture as an RGBA grid of image tiles (event shapes [h, w, c], or flattened square images). */
export function renderLatentPicture(
  picture: LatentPicture,
  options: RenderLatentPictureOptions = {},
): RgbaImage {
  const eventShape = picture.images.shape.slice(1);
  const shape = imageShapeOf(eventShape);
  if (!shape) {
    throw new ShapeError(
      `renderLatentPicture: examples of shape [${eventShape}] are not images ([h, w, c], or a flattened square image)`,
    );
  }
  return imageGrid(picture.images, {
    columns: picture.columns,
    shape,
    range: options.range ?? [0, 1],
    padding: options.padding,
  });
}
