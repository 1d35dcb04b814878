/** Benchmark recipes for NICE: the three 2-D sets. */
import type { ReproduceRecipe } from '@genzoo/core';
import { toyEntry } from '../common/recipes/protocol.js';

const PAPER = 'Dinh, Krueger & Bengio 2015, NICE';
/** 2-D: 4 additive couplings with 2 hidden layers of 128 ReLUs, the logistic base of the paper. */
const TOY = { couplings: 4, hidden: [128, 128], mask: 'half', base: 'logistic' };

export const niceRecipes: ReproduceRecipe[] = (['moons', '8gaussians', 'checkerboard'] as const).map((set) =>
  toyEntry(set, TOY, 5000, 1000, `${PAPER}; 4 additive couplings (MLP 1-128-128-1) and the diagonal scaling`),
);
