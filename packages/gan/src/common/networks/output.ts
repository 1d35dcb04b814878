/** The generator's last nonlinearity (see `outputSchema`): a subset of core's activations. */
import type { Activation } from '@genzoo/core';

export type OutputActivation = Extract<Activation, 'tanh' | 'sigmoid' | 'linear'>;
