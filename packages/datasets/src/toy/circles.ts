/**
 * Two concentric circles (sklearn's make_circles with factor 0.5, scaled by 3 as in FFJORD): n/2 points at
 * evenly spaced angles on the circle of radius 3 and the rest on radius 1.5, plus N(0, (3·noise)²) per
 * coordinate. Label 0 is the outer circle, 1 the inner.
 */
import { linspace, shuffled, type ToyGenerator, UNBOUNDED } from './generator.js';

export const circles: ToyGenerator = {
  name: 'circles',
  description: 'two concentric circles, radii 3 and 1.5 (sklearn make_circles, FFJORD scaling)',
  numClasses: 2,
  defaultNoise: 0.08,
  range: (noise) => (noise > 0 ? UNBOUNDED : [-3, 3]),
  generate(n, random, noise) {
    const outer = Math.floor(n / 2);
    const points = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    const aOuter = linspace(0, 2 * Math.PI, outer, false);
    const aInner = linspace(0, 2 * Math.PI, n - outer, false);
    for (let i = 0; i < n; i++) {
      const inner = i >= outer;
      const angle = inner ? aInner[i - outer] : aOuter[i];
      const radius = inner ? 0.5 : 1;
      points[2 * i] = 3 * (radius * Math.cos(angle) + noise * random.normal());
      points[2 * i + 1] = 3 * (radius * Math.sin(angle) + noise * random.normal());
      labels[i] = inner ? 1 : 0;
    }
    return shuffled({ points, labels }, random);
  },
};
