/**
 * Test scaffolding shared by the model-family packages (source only, never published): every
 * `reproduce` recipe run for a few steps on data found on this machine, and a callback that records the
 * tensor count after every training step so tests can check that training does not leak.
 */
export { type RecipeCase, recipeCases, recipeData, runRecipeSteps, trainCounted } from './recipes.js';
export { TensorCounter } from './tensor-counter.js';
