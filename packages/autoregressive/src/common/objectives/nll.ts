/**
 * Maximum likelihood: the loss is the batch mean of −log p(x), exact for these models. With several
 * variants (MADE's connectivity ensembles) each step trains one, variant = step mod V, so every mask
 * set gets every V-th step (Germain et al. 2015, §4.2).
 */
import type {
  Batch,
  LikelihoodOptions,
  Objective,
  ObjectiveResult,
  ParameterStore,
  StepContext,
  TrainingPlan,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';

export interface VariantLikelihood {
  readonly variants: number;
  logProbUnder(x: tf.Tensor, variant: number, options?: LikelihoodOptions): tf.Tensor1D;
}

export function nllObjective(model: VariantLikelihood): Objective {
  return {
    name: 'nll',
    compute(batch: Batch, context: StepContext): ObjectiveResult {
      const variant = context.step % model.variants;
      const logProb = model.logProbUnder(batch.x, variant, { condition: batch.condition });
      const nll = tf.neg(tf.mean(logProb)) as tf.Scalar;
      logProb.dispose();
      return { loss: nll, metrics: { nll: tf.clone(nll) } };
    },
  };
}

/** The plan of every model here: one gradient player, named after the model, training `store`'s trainable variables on the NLL. */
export function nllTrainingPlan(
  model: VariantLikelihood & { readonly name: string },
  store: ParameterStore,
): TrainingPlan {
  return {
    players: [
      {
        kind: 'gradient',
        name: model.name,
        variables: () => store.trainable(),
        objective: nllObjective(model),
      },
    ],
  };
}
