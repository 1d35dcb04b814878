/**
 * Plugins are data: a plugin object lists model definitions, each with a name, a zod config schema, a
 * factory and its `reproduce` recipes. Core never dispatches on model names; it looks them up here.
 */
import type { z } from 'zod';
import type { GenerativeModel, LikelihoodKind, ModelContext } from '../contracts/model.js';
import type { TrainConfigInput } from '../training/config.js';
import type { EvaluationSettings } from './evaluation-settings.js';

/**
 * The exact configuration behind a benchmark number: model config, dataset, training budget and the
 * metric it reports. The benchmark harness runs these; `quick` overrides give the `--quick` variant.
 */
export interface ReproduceRecipe {
  /** Unique within the model, e.g. `moons` or `fashion-mnist`. */
  name: string;
  /** Benchmark suite this entry belongs to, e.g. `classic`. */
  suite: string;
  /** Dataset name as known to `@genzoo/datasets`, with its options (e.g. binarization). */
  dataset: string;
  datasetOptions?: Record<string, unknown>;
  /** Model config (validated by the model's schema). */
  config: Record<string, unknown>;
  train: TrainConfigInput;
  /** Evaluation settings, e.g. `{ limit: 1000, samples: 1000 }` (see evaluationSettingsSchema). */
  evaluation?: EvaluationSettings;
  /** The headline metric, e.g. `nll_nats` or `bits_per_dim`. */
  metric: string;
  /** Overrides for `--quick` runs (shorter training, fewer eval examples). */
  quick?: {
    train?: TrainConfigInput;
    evaluation?: EvaluationSettings;
    datasetOptions?: Record<string, unknown>;
  };
  /** Long recipes (paper reproductions) run only when asked for by name. */
  onlyWhenAsked?: boolean;
  /** Where the recipe comes from (paper, table). */
  reference?: string;
  /**
   * A second stage: the recipe trains on top of another recipe's trained run (a prior over the codes of a
   * trained VQ-VAE, say). The model config key `configKey` takes that run's folder; resolving the recipe
   * without it is an error naming what to train first, and the benchmark harness runs `recipe`
   * (`<model>/<recipe>`, of the same suite) first and passes its folder.
   */
  startsFrom?: { recipe: string; configKey: string };
}

export interface ModelDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  /** Family, e.g. `mixture`, `latent-linear`, `vae`, `flow`, `gan`. */
  family: string;
  description: string;
  /** What the model's likelihood capability is, known before creating one. */
  likelihood: LikelihoodKind;
  /** Strict schema with defaults: unknown keys, wrong types and out-of-range values are errors. */
  configSchema: Schema;
  create(config: z.infer<Schema>, context: ModelContext): GenerativeModel<z.infer<Schema>>;
  reproduce: ReproduceRecipe[];
  /** The paper the model implements. */
  paper?: string;
  /**
   * Sampling temperatures the model's samples are shown at after training (`samples-temperatures.png`,
   * a labelled row per temperature from the same seed), for models whose `sample` honours `temperature`
   * in a way worth seeing (NVAE: 1.0, 0.8, 0.6). Omitted: no such picture.
   */
  sampleTemperatures?: readonly number[];
}

export interface GenzooPlugin {
  /** Package name, e.g. `@genzoo/classic`. */
  name: string;
  version: string;
  models: ModelDefinition[];
}

/** Typed helper so a plugin's model definitions keep their config types. */
export function defineModel<Schema extends z.ZodType>(definition: ModelDefinition<Schema>): ModelDefinition {
  return definition as unknown as ModelDefinition;
}
