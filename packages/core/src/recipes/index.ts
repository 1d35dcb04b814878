/** Recipes as data with one resolver and one runner, shared by the CLI, the benchmarks and plugin tests. */

export {
  type Assignment,
  parseRunFile,
  type RecipeRequest,
  type ResolvedRecipe,
  type RunFile,
  resolveRecipe,
  setPath,
} from './resolve.js';
export { type RecipeRun, type RunRecipeOptions, runRecipe } from './run.js';
