/** Benchmark recipe for IAF on a 2-D set: the MAF architecture (maf/recipes.ts), inverted. */
import type { ReproduceRecipe } from '@genzoo/core';
import { toyEntry } from '../common/recipes/protocol.js';
import { TOY } from '../maf/recipes.js';

export const iafRecipes: ReproduceRecipe[] = [
  toyEntry(
    'moons',
    TOY,
    5000,
    1000,
    'Kingma et al. 2016, IAF as a density model (the MAF layers inverted: one pass to sample, D to evaluate)',
  ),
];
