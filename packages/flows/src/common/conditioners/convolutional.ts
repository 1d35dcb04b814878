/**
 * Convolutional conditioners for image couplings (NHWC, 'same' padding so outputs keep x_b's H × W):
 *
 * - `resnetConditioner` (RealNVP, Dinh et al. 2017, §4.1, small): a 3×3 convolution to F channels, B
 *   residual blocks h ← h + conv3×3(relu(conv3×3(relu(h)))), then relu and a zero-initialized 3×3
 *   convolution to P·C outputs. (The paper's weight normalization and batch norm are left out; ActNorm
 *   layers between couplings do their job of keeping activations scaled.)
 * - `glowConditioner` (Glow, Kingma & Dhariwal 2018, §3.3): conv3×3 → ReLU → conv1×1 → ReLU → a
 *   zero-initialized conv3×3, F hidden channels (the 1×1 convolution as a dense layer over pixels).
 * - `zeroConvConditioner`: one zero-initialized 3×3 convolution — Glow's learned prior of a factored-out
 *   half given the kept half.
 */
import { Conv2D, type ParameterStore, Pointwise } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionerFactory } from './conditioner.js';
import { zeroInitialized } from './zero-init.js';

const channels = (shape: readonly number[]) => shape[shape.length - 1];

function imageShapes(identityShape: readonly number[], activeShape: readonly number[]): void {
  if (identityShape.length !== 3 || activeShape.length !== 3) {
    throw new RangeError(
      `convolutional conditioners take images [H, W, C], got [${identityShape}] → [${activeShape}]`,
    );
  }
}

export function resnetConditioner(
  params: ParameterStore,
  features: number,
  blocks: number,
): ConditionerFactory {
  return (key, identityShape, activeShape, paramsPerValue) => {
    imageShapes(identityShape, activeShape);
    const input = new Conv2D(params, `${key}/in`, channels(identityShape), features, { kernelSize: 3 });
    const residual = Array.from({ length: blocks }, (_, b) => [
      new Conv2D(params, `${key}/block${b}/conv0`, features, features, { kernelSize: 3 }),
      new Conv2D(params, `${key}/block${b}/conv1`, features, features, { kernelSize: 3 }),
    ]);
    const output = zeroInitialized(
      new Conv2D(params, `${key}/out`, features, paramsPerValue * channels(activeShape), { kernelSize: 3 }),
    );
    return {
      apply: (identity) =>
        tf.tidy(() => {
          let h = input.apply(identity as tf.Tensor4D);
          for (const [first, second] of residual) {
            h = tf.add(h, second.apply(tf.relu(first.apply(tf.relu(h)))));
          }
          return output.apply(tf.relu(h));
        }),
    };
  };
}

export function glowConditioner(params: ParameterStore, features: number): ConditionerFactory {
  return (key, identityShape, activeShape, paramsPerValue) => {
    imageShapes(identityShape, activeShape);
    const first = new Conv2D(params, `${key}/conv0`, channels(identityShape), features, { kernelSize: 3 });
    const middle = new Pointwise(params, `${key}/conv1`, features, features);
    const last = zeroInitialized(
      new Conv2D(params, `${key}/out`, features, paramsPerValue * channels(activeShape), { kernelSize: 3 }),
    );
    return {
      apply: (identity) =>
        tf.tidy(() => last.apply(tf.relu(middle.apply(tf.relu(first.apply(identity as tf.Tensor4D)))))),
    };
  };
}

export function zeroConvConditioner(params: ParameterStore): ConditionerFactory {
  return (key, identityShape, activeShape, paramsPerValue) => {
    imageShapes(identityShape, activeShape);
    const conv = zeroInitialized(
      new Conv2D(params, `${key}/conv`, channels(identityShape), paramsPerValue * channels(activeShape), {
        kernelSize: 3,
      }),
    );
    return { apply: (identity) => conv.apply(identity as tf.Tensor4D) };
  };
}
