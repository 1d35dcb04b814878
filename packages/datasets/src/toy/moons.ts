/**
 * Two interleaving half circles (sklearn's make_moons), mapped as in FFJORD by x ↦ 2x + (−1, −0.2):
 * outer moon (cos t, sin t), inner moon (1 − cos t, 1/2 − sin t) for t on a grid over [0, π], plus
 * N(0, noise²) per coordinate. Label 0 is the outer moon, 1 the inner.
 */
import { linspace, shuffled, type ToyGenerator, UNBOUNDED } from './generator.js';

export const moons: ToyGenerator = {
  name: 'moons',
  description: 'two interleaving half circles (sklearn make_moons, scaled as in FFJORD)',
  numClasses: 2,
  defaultNoise: 0.1,
  range: (noise) => (noise > 0 ? UNBOUNDED : [-3, 3]),
  generate(n, random, noise) {
    const outer = Math.floor(n / 2);
    const points = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    const tOuter = linspace(0, Math.PI, outer);
    const tInner = linspace(0, Math.PI, n - outer);
    for (let i = 0; i < n; i++) {
      const inner = i >= outer;
      const t = inner ? tInner[i - outer] : tOuter[i];
      const x = inner ? 1 - Math.cos(t) : Math.cos(t);
      const y = inner ? 0.5 - Math.sin(t) : Math.sin(t);
      points[2 * i] = 2 * (x + noise * random.normal()) - 1;
      points[2 * i + 1] = 2 * (y + noise * random.normal()) - 0.2;
      labels[i] = inner ? 1 : 0;
    }
    return shuffled({ points, labels }, random);
  },
};
