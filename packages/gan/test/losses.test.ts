/**
 * The adversarial losses against their definitions: −V(D, G) for the discriminator, the minimax and
 * non-saturating generator losses through D = σ(l), the Wasserstein critic's estimate, and the
 * least-squares losses.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorLoss, generatorLoss } from '../src/common/losses/adversarial.js';
import { tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const real = [2.5, -0.3, 0.7, 40];
const fake = [-1.2, 0.4, -35, 3];
const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function scalar(t: tf.Scalar): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

describe('adversarial losses', () => {
  it('the discriminator minimizes −V(D, G) = −E log D(x) − E log(1 − D(G(z))), finite for large logits', () => {
    const value = scalar(discriminatorLoss('non-saturating', tf.tensor1d(real), tf.tensor1d(fake)));
    // log1p form of −log σ(l) and −log(1 − σ(l)), exact for the moderate logits and finite at ±40.
    const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    const expected = mean(real.map((l) => softplus(-l))) + mean(fake.map((l) => softplus(l)));
    expect(value).toBeCloseTo(expected, 5);
    const direct = -mean(real.slice(0, 3).map((l) => Math.log(sigmoid(l))));
    const ours = scalar(discriminatorLoss('minimax', tf.tensor1d(real.slice(0, 3)), tf.tensor1d([-50])));
    expect(ours).toBeCloseTo(direct, 5);
  });

  it('minimax generator loss is E log(1 − D(G(z))), non-saturating −E log D(G(z))', () => {
    const moderate = fake.filter((l) => Math.abs(l) < 10);
    const minimax = scalar(generatorLoss('minimax', tf.tensor1d(moderate)));
    const nonSaturating = scalar(generatorLoss('non-saturating', tf.tensor1d(moderate)));
    expect(minimax).toBeCloseTo(mean(moderate.map((l) => Math.log(1 - sigmoid(l)))), 5);
    expect(nonSaturating).toBeCloseTo(mean(moderate.map((l) => -Math.log(sigmoid(l)))), 5);
  });

  it('the minimax generator gradient vanishes where D confidently rejects samples; the non-saturating one does not', () => {
    const gradient = (kind: 'minimax' | 'non-saturating') =>
      tf.tidy(
        () =>
          tf
            .grad((l: tf.Tensor) => generatorLoss(kind, l as tf.Tensor1D))(tf.tensor1d([-8]))
            .dataSync()[0],
      );
    expect(Math.abs(gradient('minimax'))).toBeLessThan(1e-3);
    expect(Math.abs(gradient('non-saturating'))).toBeGreaterThan(0.99);
  });

  it('the critic loss is E f(G(z)) − E f(x), the generator loss −E f(G(z))', () => {
    expect(scalar(discriminatorLoss('wasserstein', tf.tensor1d(real), tf.tensor1d(fake)))).toBeCloseTo(
      mean(fake) - mean(real),
      4,
    );
    expect(scalar(generatorLoss('wasserstein', tf.tensor1d(fake)))).toBeCloseTo(-mean(fake), 4);
  });

  it('least squares: ½E(D(x) − 1)² + ½E D(G(z))² for the discriminator, ½E(D(G(z)) − 1)² for the generator', () => {
    const discriminator = 0.5 * mean(real.map((d) => (d - 1) ** 2)) + 0.5 * mean(fake.map((d) => d ** 2));
    expect(scalar(discriminatorLoss('least-squares', tf.tensor1d(real), tf.tensor1d(fake)))).toBeCloseTo(
      discriminator,
      2,
    );
    expect(scalar(generatorLoss('least-squares', tf.tensor1d(fake)))).toBeCloseTo(
      0.5 * mean(fake.map((d) => (d - 1) ** 2)),
      3,
    );
    // At the targets (1 on real, 0 on generated examples) D's loss is 0, and G's is ½.
    expect(scalar(discriminatorLoss('least-squares', tf.tensor1d([1, 1]), tf.tensor1d([0, 0])))).toBe(0);
    expect(scalar(generatorLoss('least-squares', tf.tensor1d([0, 0])))).toBe(0.5);
  });
});
