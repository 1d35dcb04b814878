/**
 * What every two-stage model of the family shares: a trained first stage (a `vq-vae` or `vq-vae-2` run)
 * read once from its folder when the model is created for training, checked, and recorded in the model's
 * own config (`frozen`: its config and weights fingerprint) while its weights become variables of the
 * model that no player trains — so the checkpoint is self-contained.
 */
import { ConfigError, type ModelContext, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import type { FrozenVqVae } from './config.js';
import { type FrozenTensor, type FrozenVqVaeSource, readVqVae } from './source.js';

/** The first stage of a two-stage model: its record, and what was read when created from a folder. */
export interface FirstStage {
  frozen: FrozenVqVae;
  /** Present when the model was created from `vqvae` (training starts); absent when loaded. */
  source?: FrozenVqVaeSource;
}

/**
 * The first stage of model `name` from its config: `frozen` when the model is loaded, else the run at
 * `vqvae`, read and checked to hold a `modelName` model of the data's event shape.
 */
export function firstStageOf(
  name: string,
  config: { vqvae?: string; frozen?: FrozenVqVae },
  context: ModelContext,
  modelName: string,
): FirstStage {
  if (config.frozen) return { frozen: config.frozen };
  if (!config.vqvae) {
    throw new ConfigError(
      `${name} needs vqvae: the trained ${modelName} run folder (--set vqvae=runs/${modelName})`,
    );
  }
  const source = readVqVae(config.vqvae);
  if (source.modelName !== modelName) {
    throw new ConfigError(`${name}: ${config.vqvae} holds a ${source.modelName} model, not a ${modelName}`);
  }
  if (!sameShape(source.eventShape, context.eventShape)) {
    throw new ShapeError(
      `${name}: the ${modelName} at ${config.vqvae} models examples of shape [${source.eventShape.join(', ')}], ` +
        `the data has [${context.eventShape.join(', ')}]: train on the VQ-VAE's dataset`,
    );
  }
  return { frozen: { config: source.config, fingerprint: source.fingerprint }, source };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Sets every variable of the frozen first stage from the weights read from its checkpoint. */
export function assignWeights(
  name: string,
  variables: Record<string, tf.Variable>,
  weights: Record<string, FrozenTensor>,
  where: string,
): void {
  for (const [key, variable] of Object.entries(variables)) {
    const stored = weights[key];
    if (!stored || !sameShape(stored.shape, variable.shape) || stored.dtype !== variable.dtype) {
      throw new ShapeError(
        `${name}: the VQ-VAE at ${where} has no weight "${key}" of shape [${variable.shape.join(', ')}] ` +
          `(${variable.dtype})${stored ? `, it has [${stored.shape.join(', ')}] (${stored.dtype})` : ''}`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(stored.values, stored.shape, variable.dtype)));
  }
}
