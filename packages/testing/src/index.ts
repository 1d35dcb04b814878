/**
 * @genzoo/testing — test helpers for genzoo plugin authors (and genzoo's own model families): smoke runs
 * of a model's `reproduce` recipes on local data (train, sample, score, save, load), and tensor-leak
 * checks. Framework-agnostic: every check throws an Error, so it works from vitest, jest or node:test.
 *
 * @packageDocumentation
 */
export { useCpuBackend } from './backend.js';
export {
  assertNoTensorLeak,
  assertSteadyTensorCount,
  checkModelLeaks,
  type ModelLeakOptions,
  type ModelLeakReport,
  measureTensorLeak,
  TensorLeakError,
} from './leaks.js';
export {
  modelInputs,
  type RecipeCase,
  recipeCases,
  recipeData,
  recipeTrainConfig,
  runRecipeSteps,
  trainCounted,
} from './recipes.js';
export { type SmokeOptions, type SmokeReport, SmokeTestError, smokeRecipe } from './smoke.js';
export { TensorCounter } from './tensor-counter.js';
