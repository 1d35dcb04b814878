/**
 * Smoke runs for plugin authors: a model's `reproduce` recipe run briefly on local data through core's
 * Trainer, then checked end to end — it trains (finite metrics), samples (right shape, finite, the same
 * for the same seed), scores test data (finite likelihood or bound), saves a checkpoint, and loads back
 * from it into a model with identical variables, samples and likelihoods.
 */
import {
  type CheckpointStorage,
  type GenerativeModel,
  type GenzooPlugin,
  loadModel,
  memoryCheckpointStorage,
  PluginRegistry,
  type ReproduceRecipe,
} from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { modelInputs, runRecipeSteps } from './recipes.js';

/** Thrown by {@link smokeRecipe}; the message names the recipe and the check that failed. */
export class SmokeTestError extends Error {
  override name = 'SmokeTestError';
}

export interface SmokeOptions {
  /** Training steps (default 3). */
  steps?: number;
  /** Samples drawn, and test examples scored (default 4). */
  examples?: number;
  /**
   * Where the checkpoint goes; default: `memoryCheckpointStorage()` (the checkpoint is encoded and
   * validated exactly as on disk; pass `checkpointDirectory(dir)` of `@genzoo/core/node` to test files).
   */
  checkpoints?: CheckpointStorage;
}

export interface SmokeReport {
  /** `model/recipe`. */
  id: string;
  /** The dataset the run used: the recipe's, or mnist-10k in its place (see {@link recipeData}). */
  dataset: string;
  steps: number;
  /** Wall-clock seconds of the training run. */
  seconds: number;
  /** Metrics of the last training step. */
  lastMetrics: Record<string, number>;
  /** Shape of the drawn samples, `[examples, ...eventShape]`. */
  sampleShape: number[];
  /**
   * Mean over the scored test examples of log p(x) (exact models) or of the lower bound (lower-bound
   * models), in nats; undefined for models without a likelihood.
   */
  meanLogLikelihood?: number;
}

/**
 * Runs the recipe of model `name` for a few steps on local data (its dataset, or mnist-10k in place of
 * one that is not on this machine) with a checkpoint at the end (in memory unless `checkpoints` says
 * otherwise), then checks that:
 *
 * - the Trainer ran every step and the last step's metrics are finite;
 * - `sample(n, { seed })` has shape `[n, ...eventShape]`, is finite, and is the same for the same seed;
 * - the likelihood on n test examples (`logProb`, or `lowerBound`) has shape `[n]` and is finite;
 * - `loadModel` rebuilds the model from the checkpoint with the same variables (names, shapes, values),
 *   the same seeded samples and the same likelihoods.
 *
 * Throws a {@link SmokeTestError} naming the failed check; disposes every model and tensor it made.
 * Framework-agnostic: call it from any test runner.
 *
 * @example
 * ```ts
 * import { recipeCases, smokeRecipe, useCpuBackend } from '@genzoo/testing';
 * import { beforeAll, expect, it } from 'vitest';
 * import { plugin } from '../src/index.js';
 *
 * beforeAll(useCpuBackend);
 * it.each(recipeCases(plugin))('%s trains, samples, saves and loads', async (_id, name, recipe) => {
 *   const report = await smokeRecipe(plugin, name, recipe, { steps: 5 });
 *   expect(report.steps).toBe(5);
 * });
 * ```
 */
export async function smokeRecipe(
  plugin: GenzooPlugin,
  name: string,
  recipe: ReproduceRecipe,
  options: SmokeOptions = {},
): Promise<SmokeReport> {
  const id = `${name}/${recipe.name}`;
  const fail = (message: string): never => {
    throw new SmokeTestError(`${id}: ${message}`);
  };
  const steps = options.steps ?? 3;
  const checkpoints = options.checkpoints ?? memoryCheckpointStorage();
  const registry = new PluginRegistry();
  registry.register(plugin);
  const models: GenerativeModel[] = [];
  let inputs: ReturnType<typeof modelInputs> | undefined;
  try {
    const { model, data, result } = await runRecipeSteps(plugin, name, recipe, steps, { checkpoints }).catch(
      (error: unknown) => {
        throw new SmokeTestError(`${id}: training failed: ${(error as Error).message}`, { cause: error });
      },
    );
    models.push(model);
    if (result.steps !== steps) fail(`trained ${result.steps} steps, expected ${steps}`);
    const badMetrics = Object.entries(result.lastMetrics).filter(([, v]) => !Number.isFinite(v));
    if (badMetrics.length > 0) fail(`non-finite metrics after training: ${JSON.stringify(badMetrics)}`);

    inputs = modelInputs(model, data.test, options.examples ?? 4);
    const { n, batch, condition, source } = inputs;
    const draw = (m: GenerativeModel) => {
      const samples = m.sample(n, { seed: 1, condition, source });
      const values = numbers(samples);
      const shape = samples.shape;
      samples.dispose();
      return { values, shape };
    };
    const drawn = draw(model);
    const expectedShape = [n, ...model.eventShape];
    if (JSON.stringify(drawn.shape) !== JSON.stringify(expectedShape)) {
      fail(`sample(${n}) has shape [${drawn.shape}], expected [${expectedShape}]`);
    }
    if (!drawn.values.every(Number.isFinite)) fail('samples are not all finite');
    if (!sameValues(draw(model).values, drawn.values)) fail('two sample() calls with one seed differ');

    const score = (m: GenerativeModel): number[] | undefined => {
      const likelihood = m.likelihood;
      const scores =
        likelihood.kind === 'exact'
          ? likelihood.logProb(batch.x, { condition: batch.condition })
          : likelihood.kind === 'lowerBound'
            ? likelihood.lowerBound(batch.x, { condition: batch.condition, seed: 1 })
            : undefined;
      if (scores === undefined) return undefined;
      const values = numbers(scores);
      if (scores.shape.length !== 1 || scores.shape[0] !== n) {
        fail(`the likelihood of ${n} examples has shape [${scores.shape}], expected [${n}]`);
      }
      scores.dispose();
      return values;
    };
    const scores = score(model);
    if (scores && !scores.every(Number.isFinite)) fail(`non-finite likelihoods on test data: ${scores}`);

    const { model: loaded } = await loadModel(checkpoints, {
      registry,
      onWarning: (w) => fail(`loading: ${w}`),
    });
    models.push(loaded);
    compareVariables(model, loaded, fail);
    if (!sameValues(draw(loaded).values, drawn.values)) fail('the loaded model samples differently');
    const loadedScores = score(loaded);
    if (scores && (!loadedScores || !sameValues(loadedScores, scores))) {
      fail('the loaded model has different likelihoods');
    }
    return {
      id,
      dataset: data.train.name.split('/')[0],
      steps: result.steps,
      seconds: result.seconds,
      lastMetrics: result.lastMetrics,
      sampleShape: drawn.shape,
      meanLogLikelihood: scores && scores.reduce((a, b) => a + b, 0) / scores.length,
    };
  } finally {
    if (inputs) tf.dispose(inputs.tensors);
    for (const m of models) m.dispose();
  }
}

function numbers(t: tf.Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>);
}

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function compareVariables(a: GenerativeModel, b: GenerativeModel, fail: (message: string) => never): void {
  const va = a.variables();
  const vb = b.variables();
  const names = Object.keys(va).sort();
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(vb).sort())) {
    fail(`the loaded model's variables are [${Object.keys(vb)}], expected [${names}]`);
  }
  for (const key of names) {
    if (JSON.stringify(va[key].shape) !== JSON.stringify(vb[key].shape)) {
      fail(`variable ${key} loaded with shape [${vb[key].shape}], expected [${va[key].shape}]`);
    }
    if (!sameValues(numbers(va[key]), numbers(vb[key]))) {
      fail(`variable ${key} loaded with different values`);
    }
  }
}
