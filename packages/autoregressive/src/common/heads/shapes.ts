/** Checks shared by the heads. */
import { ConfigError, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

/** Throws unless params has `size` entries on its last axis. */
export function checkParams(params: tf.Tensor, size: number): void {
  if (params.rank < 1 || params.shape[params.rank - 1] !== size) {
    throw new ShapeError(
      `output head: expected ${size} parameters per position, got params of shape [${params.shape}]`,
    );
  }
}

/** The single parameter per position of params [..., 1], as [...]. */
export function singleParam(params: tf.Tensor): tf.Tensor {
  checkParams(params, 1);
  return tf.squeeze(params, [-1]);
}

/** The temperature, checked: a positive finite number. */
export function temperatureOf(temperature: number): number {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new ConfigError(`temperature must be a positive number, got ${temperature}`);
  }
  return temperature;
}

/** Integer level k ∈ [0, L−1] of values x = k/(L−1) in [0, 1], int32. */
export function levelsOf(x: tf.Tensor, levels: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.clipByValue(tf.round(tf.mul(x, levels - 1)), 0, levels - 1), 'int32'));
}
