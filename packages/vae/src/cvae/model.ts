/**
 * The conditional VAE (Sohn, Lee & Yan 2015, "Learning Structured Output Representation using Deep
 * Conditional Generative Models"): a VAE of p(x|y) for class labels y,
 *
 *   p(z) = N(0, I),   p_θ(x|z, y),   q_φ(z|x, y) = N(μ_φ(x, y), diag σ²_φ(x, y))
 *   ELBO(x|y) = E_q[log p(x|z, y)] − KL(q(z|x, y) ‖ p(z))
 *
 * with y one-hot, joined to the encoder's input (or its flattened convolutional features) and to the
 * decoder's input z. Every likelihood call and `sample` take the labels as `{ condition }`.
 */
import { type ConditionalModel, ConfigError, type ModelContext } from '@genzoo/core';
import type { ObjectiveSettings } from '../common/config/training.js';
import { type SingleLayerConfig, Vae } from '../vae/model.js';

export class ConditionalVae<Config extends SingleLayerConfig = SingleLayerConfig>
  extends Vae<Config>
  implements ConditionalModel
{
  readonly numClasses: number;

  constructor(name: string, config: Config, context: ModelContext, objective: ObjectiveSettings) {
    const classes = context.numClasses;
    if (classes === undefined || !Number.isInteger(classes) || classes < 2) {
      throw new ConfigError(
        `${name} is class-conditional and needs labelled data: the dataset must give numClasses ≥ 2, got ${classes}`,
      );
    }
    super(name, config, context, objective, classes);
    this.numClasses = classes;
  }
}
