/**
 * The pinwheel of FFJORD (after Johnson et al., "Composing graphical models with neural networks", 2016):
 * 5 arms; a point of arm k starts at (1 + r, t) with r ~ N(0, noise²), t ~ N(0, (noise/3)²) and is rotated
 * by 2πk/5 + 0.25·exp(1 + r), which bends the arms; the result is scaled by 2. Label k is the arm.
 */
import { type ToyGenerator, UNBOUNDED } from './generator.js';

const ARMS = 5;
const RATE = 0.25;

export const pinwheel: ToyGenerator = {
  name: 'pinwheel',
  description: 'five curved arms of a pinwheel (FFJORD)',
  numClasses: ARMS,
  defaultNoise: 0.3,
  range: () => UNBOUNDED,
  generate(n, random, noise) {
    const points = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = random.int(ARMS);
      const radial = 1 + noise * random.normal();
      const tangential = (noise / 3) * random.normal();
      const angle = (2 * Math.PI * k) / ARMS + RATE * Math.exp(radial);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      // FFJORD's row vector times [[c, −s], [s, c]].
      points[2 * i] = 2 * (radial * c + tangential * s);
      points[2 * i + 1] = 2 * (-radial * s + tangential * c);
      labels[i] = k;
    }
    return { points, labels };
  },
};
