/**
 * Tensor-leak checks. TensorFlow.js frees tensors only when told to, so a model method that forgets a
 * `tf.tidy` or a `dispose` grows memory on every call; these helpers count live tensors around a call, over
 * a training run, and across a model's whole life.
 */
import type { GenerativeModel, GenzooPlugin, ReproduceRecipe } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { modelInputs, recipeData, runRecipeSteps } from './recipes.js';

/** Thrown by the leak checks; the message says what leaked and how much. */
export class TensorLeakError extends Error {
  override name = 'TensorLeakError';
}

/**
 * Runs `fn` (sync or async) and returns its result with the change in the number of live tensors. Tensors
 * that `fn` returns count as new: dispose them inside `fn` to measure the call alone.
 *
 * @example
 * ```ts
 * const { leaked } = await measureTensorLeak(() => {
 *   tf.dispose(model.sample(8, { seed: 1 }));
 * });
 * expect(leaked).toBe(0);
 * ```
 */
export async function measureTensorLeak<T>(
  fn: () => T | Promise<T>,
): Promise<{ result: T; leaked: number; before: number; after: number }> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  return { result, leaked: after - before, before, after };
}

/**
 * Runs `fn` and throws a {@link TensorLeakError} when it leaves more live tensors than it found (more than
 * `allowed`, default 0); returns `fn`'s result otherwise.
 *
 * @example
 * ```ts
 * await assertNoTensorLeak(() => {
 *   const x = tf.randomNormal([16, 2]);
 *   tf.dispose([model.likelihood.logProb(x), x]);
 * }, { label: 'logProb' });
 * ```
 */
export async function assertNoTensorLeak<T>(
  fn: () => T | Promise<T>,
  options: { label?: string; allowed?: number } = {},
): Promise<T> {
  const { result, leaked, before, after } = await measureTensorLeak(fn);
  if (leaked > (options.allowed ?? 0)) {
    throw new TensorLeakError(
      `${options.label ?? 'the call'} leaked ${leaked} tensor(s) (${before} live before, ${after} after)`,
    );
  }
  return result;
}

/**
 * Checks per-step tensor counts (a {@link TensorCounter}'s `counts`): after the first `warmup` steps
 * (default 2: optimizers create their slots lazily) every step must end with the same number of live
 * tensors. Throws a {@link TensorLeakError} otherwise, and when there are no steps after the warm-up.
 *
 * @example
 * ```ts
 * const { model, counter } = await trainCounted({ plugin, name: 'gmm', config: {}, data, train: { steps: 8 } });
 * assertSteadyTensorCount(counter.counts);
 * model.dispose();
 * ```
 */
export function assertSteadyTensorCount(
  counts: readonly number[],
  options: { warmup?: number; label?: string } = {},
): void {
  const warmup = options.warmup ?? 2;
  const label = options.label ?? 'training';
  const steady = counts.slice(warmup);
  if (steady.length === 0) {
    throw new TensorLeakError(`${label}: no steps after the ${warmup} warm-up step(s) to compare`);
  }
  if (new Set(steady).size !== 1) {
    const shown = counts.length > 12 ? `${counts.slice(0, 12).join(', ')}, …` : counts.join(', ');
    throw new TensorLeakError(
      `${label}: live tensors changed from step to step after ${warmup} warm-up step(s): ${shown}`,
    );
  }
}

export interface ModelLeakOptions {
  /** Training steps (default 6); the counts after the first `warmup` must be equal. */
  steps?: number;
  /** Warm-up steps excluded from the steady-count check (default 2). */
  warmup?: number;
  /** Examples drawn and scored in the per-method checks (default 4). */
  examples?: number;
}

export interface ModelLeakReport {
  /** Live tensors after each training step. */
  counts: number[];
  /** Live tensors before the model was created and after it was disposed (equal when nothing leaked). */
  before: number;
  after: number;
}

/**
 * Checks a model of the plugin for leaks over its whole life, with the recipe's config and data (see
 * {@link recipeData}): a short training run through core's Trainer ends every step with the same number of
 * live tensors; `sample` and the likelihood (`logProb`, or `lowerBound` and `importanceSampledLogProb`)
 * leave nothing behind once their results are disposed, and each gradient player's objective nothing
 * outside the `tf.tidy` the Trainer runs it in; and after
 * `model.dispose()` exactly the tensors that were live before the model was created remain. Throws a
 * {@link TensorLeakError} naming the first failing check.
 *
 * @example
 * ```ts
 * import { checkModelLeaks, recipeCases, useCpuBackend } from '@genzoo/testing';
 * import { beforeAll, it } from 'vitest';
 * import { plugin } from '../src/index.js';
 *
 * beforeAll(useCpuBackend);
 * it.each(recipeCases(plugin))('%s does not leak tensors', async (_id, name, recipe) => {
 *   await checkModelLeaks(plugin, name, recipe);
 * });
 * ```
 */
export async function checkModelLeaks(
  plugin: GenzooPlugin,
  name: string,
  recipe: ReproduceRecipe,
  options: ModelLeakOptions = {},
): Promise<ModelLeakReport> {
  const steps = options.steps ?? 6;
  const n = options.examples ?? 4;
  await recipeData(recipe); // loaded (and cached) before counting
  const before = tf.memory().numTensors;
  const { model, data, counter } = await runRecipeSteps(plugin, name, recipe, steps);
  try {
    assertSteadyTensorCount(counter.counts, { warmup: options.warmup, label: `${name} training` });
    const inputs = modelInputs(model, data.test, n);
    try {
      await checkMethods(model, inputs, name);
    } finally {
      tf.dispose(inputs.tensors);
    }
  } finally {
    model.dispose();
  }
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new TensorLeakError(
      `${name}: ${after - before} tensor(s) outlive model.dispose() (${before} live before the model was created, ${after} after)`,
    );
  }
  return { counts: counter.counts, before, after };
}

async function checkMethods(
  model: GenerativeModel,
  inputs: ReturnType<typeof modelInputs>,
  name: string,
): Promise<void> {
  const { batch, condition, source } = inputs;
  await assertNoTensorLeak(() => tf.dispose(model.sample(inputs.n, { seed: 1, condition, source })), {
    label: `${name}.sample`,
  });
  const likelihood = model.likelihood;
  if (likelihood.kind === 'exact') {
    await assertNoTensorLeak(() => tf.dispose(likelihood.logProb(batch.x, { condition: batch.condition })), {
      label: `${name}.likelihood.logProb`,
    });
  } else if (likelihood.kind === 'lowerBound') {
    await assertNoTensorLeak(
      () => tf.dispose(likelihood.lowerBound(batch.x, { condition: batch.condition, seed: 1 })),
      { label: `${name}.likelihood.lowerBound` },
    );
    await assertNoTensorLeak(
      () =>
        tf.dispose(
          likelihood.importanceSampledLogProb(batch.x, { condition: batch.condition, samples: 2, seed: 1 }),
        ),
      { label: `${name}.likelihood.importanceSampledLogProb` },
    );
  }
  let call = 0;
  const context = { step: 0, nextSeed: () => call++ };
  for (const player of model.trainingPlan().players) {
    if (player.kind !== 'gradient') continue;
    await assertNoTensorLeak(
      // The Trainer runs objectives inside tf.tidy, which frees their intermediates; what must not happen
      // is a tensor kept past the tidy (tf.keep, a new variable, a cache filled on the first call).
      () => tf.tidy(() => void player.objective.compute(batch, context)),
      { label: `${name}: objective ${player.objective.name} of player ${player.name}` },
    );
  }
}
