/**
 * The conditioner of vector couplings (NICE, Dinh et al. 2015, §5; RealNVP's 2-D experiments): an MLP
 * from the identity values through the hidden layers (each followed by the activation) to P·|x_b|
 * outputs, the output layer zero-initialized.
 */
import { type Activation, activate, Dense, eventSize, MLP, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConditionerFactory } from './conditioner.js';
import { zeroInitialized } from './zero-init.js';

export function mlpConditioner(
  params: ParameterStore,
  hidden: readonly number[],
  activation: Activation = 'relu',
): ConditionerFactory {
  return (key, identityShape, activeShape, paramsPerValue) => {
    const inputs = eventSize(identityShape);
    const outputs = paramsPerValue * eventSize(activeShape);
    const body =
      hidden.length > 0 ? new MLP(params, `${key}/mlp`, [inputs, ...hidden], activation) : undefined;
    const last = zeroInitialized(new Dense(params, `${key}/out`, hidden.at(-1) ?? inputs, outputs));
    return {
      apply: (identity) =>
        tf.tidy(() => {
          const flat = tf.reshape(identity, [identity.shape[0], inputs]) as tf.Tensor2D;
          const h = body ? (activate(body.apply(flat), activation) as tf.Tensor2D) : flat;
          return tf.reshape(last.apply(h), [
            identity.shape[0],
            ...activeShapeTimes(activeShape, paramsPerValue),
          ]);
        }),
    };
  };
}

/** x_b's event shape with P times the channels. */
function activeShapeTimes(activeShape: readonly number[], paramsPerValue: number): number[] {
  return [...activeShape.slice(0, -1), activeShape[activeShape.length - 1] * paramsPerValue];
}
