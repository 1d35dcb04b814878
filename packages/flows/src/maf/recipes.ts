/** Benchmark recipes for MAF on the 2-D sets. */
import type { ReproduceRecipe } from '@genzoo/core';
import { toyEntry } from '../common/recipes/protocol.js';

/**
 * 2-D: 5 layers, each a MADE with 2 hidden layers of 128 ReLUs, the order reversed between layers (also
 * the IAF recipe's architecture, iaf/recipes.ts).
 */
export const TOY = { layers: 5, hidden: [128, 128] };

export const mafRecipes: ReproduceRecipe[] = (['moons', '8gaussians', 'checkerboard'] as const).map((set) =>
  toyEntry(
    set,
    TOY,
    5000,
    1000,
    'Papamakarios, Pavlakou & Murray 2017, MAF; 5 MADE layers (2 × 128 hidden units), orders reversed between layers',
  ),
);
