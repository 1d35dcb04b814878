import { checkerboard } from './checkerboard.js';
import { circles } from './circles.js';
import { eightGaussians } from './gaussians.js';
import type { ToyGenerator } from './generator.js';
import { moons } from './moons.js';
import { pinwheel } from './pinwheel.js';
import { swissroll } from './swissroll.js';

export type { ToyGenerator, ToyModes, ToySample } from './generator.js';

export const TOY_GENERATORS: readonly ToyGenerator[] = [
  moons,
  eightGaussians,
  checkerboard,
  swissroll,
  circles,
  pinwheel,
];
