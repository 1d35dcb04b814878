/**
 * Eight Gaussians on a circle (FFJORD's `8gaussians`): centres 4·(cos θ, sin θ) for θ = kπ/4, points
 * centre + N(0, noise²·I), all divided by 1.414. Label k is the component.
 */
import { type ToyGenerator, UNBOUNDED } from './generator.js';

// biome-ignore lint/suspicious/noApproximativeNumericConstant: FFJORD's literal 1.414, kept so the data matches.
const DIVISOR = 1.414;

export const eightGaussians: ToyGenerator = {
  name: '8gaussians',
  description: 'mixture of 8 Gaussians on a circle of radius 4/1.414 (FFJORD)',
  numClasses: 8,
  defaultNoise: 0.5,
  range: () => UNBOUNDED,
  modes: (noise) => ({
    centers: Array.from({ length: 8 }, (_, k) => {
      const angle = (k * Math.PI) / 4;
      return [(4 * Math.cos(angle)) / DIVISOR, (4 * Math.sin(angle)) / DIVISOR] as const;
    }),
    stddev: noise / DIVISOR,
  }),
  generate(n, random, noise) {
    const points = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = random.int(8);
      const angle = (k * Math.PI) / 4;
      points[2 * i] = (4 * Math.cos(angle) + noise * random.normal()) / DIVISOR;
      points[2 * i + 1] = (4 * Math.sin(angle) + noise * random.normal()) / DIVISOR;
      labels[i] = k;
    }
    return { points, labels };
  },
};
