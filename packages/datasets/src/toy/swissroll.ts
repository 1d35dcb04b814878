/**
 * The 2-D swiss roll of FFJORD: sklearn's make_swiss_roll, t = 1.5π(1 + 2u), u ~ U[0, 1), point
 * (t cos t, t sin t) + N(0, noise²·I), divided by 5.
 */
import { type ToyGenerator, UNBOUNDED } from './generator.js';

export const swissroll: ToyGenerator = {
  name: 'swissroll',
  description: '2-D swiss roll spiral (sklearn make_swiss_roll, FFJORD scaling)',
  defaultNoise: 1,
  range: (noise) => (noise > 0 ? UNBOUNDED : [-3, 3]),
  generate(n, random, noise) {
    const points = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const t = 1.5 * Math.PI * (1 + 2 * random.next());
      points[2 * i] = (t * Math.cos(t) + noise * random.normal()) / 5;
      points[2 * i + 1] = (t * Math.sin(t) + noise * random.normal()) / 5;
    }
    return { points };
  },
};
