/**
 * The reference classifier sees images in [0, 1]. Data (and samples of models trained on it) may live in
 * [−1, 1] or be binary; this maps a batch in the data's range affinely onto [0, 1] and clips, since
 * samples can overshoot the range the data occupies (a Gaussian decoder's means, a flow's outputs).
 */

import type { DataValues } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export function toUnitRange(x: tf.Tensor, values: DataValues): tf.Tensor {
  const [low, high] = values.kind === 'binary' ? [0, 1] : values.range;
  return tf.tidy(() => {
    const unit = low === 0 && high === 1 ? x : tf.div(tf.sub(x, low), high - low);
    return tf.clipByValue(unit, 0, 1);
  });
}
