/**
 * FFJORD's checkerboard: uniform on the 8 "black" unit squares of a 4 × 4 board over [−2, 2]², scaled by 2
 * to [−4, 4]². x₁ ~ U[−2, 2); x₂ ~ U[0, 1) − 2b (b ∈ {0, 1}) + (⌊x₁⌋ mod 2). The density is piecewise
 * constant with sharp edges, a hard case for smooth flows. `noise` adds N(0, noise²) (default 0: none).
 */
import { type ToyGenerator, UNBOUNDED } from './generator.js';

export const checkerboard: ToyGenerator = {
  name: 'checkerboard',
  description: 'uniform on the black squares of a 4×4 checkerboard over [-4, 4]² (FFJORD)',
  defaultNoise: 0,
  range: (noise) => (noise > 0 ? UNBOUNDED : [-4, 4]),
  generate(n, random, noise) {
    const points = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const x1 = random.next() * 4 - 2;
      const x2 = random.next() - random.int(2) * 2 + (((Math.floor(x1) % 2) + 2) % 2);
      points[2 * i] = 2 * x1 + (noise > 0 ? noise * random.normal() : 0);
      points[2 * i + 1] = 2 * x2 + (noise > 0 ? noise * random.normal() : 0);
    }
    return { points };
  },
};
