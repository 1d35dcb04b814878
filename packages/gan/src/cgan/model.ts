/**
 * The class-conditional GAN (Mirza & Osindero 2014, "Conditional Generative Adversarial Nets"): G(z, y)
 * and D(x, y) for one-hot labels y,
 *
 *   min_G max_D  E_{x,y}[log D(x, y)] + E_{z,y}[log(1 − D(G(z, y), y))],
 *
 * trained on labelled data with the labels of each real batch; every `sample` call takes the labels as
 * `{ condition }`. Labels enter the generator as a learned embedding, G(z, y) = G([z, yᵀE]), and the
 * discriminator through a projection (Miyato & Koyama 2018), logit ψ(φ(x)) + yᵀVφ(x)
 * (common/networks/conditioning.ts). The GAN's class (gan/model.ts) does the rest, given the classes.
 */
import { type ConditionalModel, ConfigError, type ModelContext } from '@genzoo/core';
import { type AdversarialConfig, AdversarialModel, type AdversarialSettings } from '../gan/model.js';

export class ConditionalAdversarialModel<Config extends AdversarialConfig = AdversarialConfig>
  extends AdversarialModel<Config>
  implements ConditionalModel
{
  readonly numClasses: number;

  constructor(
    name: string,
    config: Config,
    context: ModelContext,
    settings: Omit<AdversarialSettings, 'classes'>,
  ) {
    const classes = context.numClasses;
    if (classes === undefined || !Number.isInteger(classes) || classes < 2) {
      throw new ConfigError(
        `${name} is class-conditional and needs labelled data: the dataset must give numClasses ≥ 2, got ${classes}`,
      );
    }
    super(name, config, context, { ...settings, classes });
    this.numClasses = classes;
  }
}
