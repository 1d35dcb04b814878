/**
 * A random rotation: the Q of a QR (Gram–Schmidt) decomposition of a seeded Gaussian matrix, as Glow
 * initializes its 1×1 convolutions (log |det| = 0 at the start), computed in float64 on the host.
 */
import { Random } from '@genzoo/core';

export function randomRotation(n: number, seed: number): Float64Array {
  const random = new Random(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) q[i] = random.normal();
  // Modified Gram–Schmidt over columns.
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i * n + j] * q[i * n + k];
      for (let i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * n + j] /= norm;
  }
  return q;
}
