/**
 * The standard-normal quantile function Φ⁻¹(p), the inverse of Φ(x) = ½·erfc(−x/√2).
 *
 * Wichura's algorithm AS 241 (PPND16; Applied Statistics 37(3), 477–484, 1988): rational minimax
 * approximations in three regions, relative error about 1e-16 over the whole double range.
 *
 * - central, |p − ½| ≤ 0.425: Φ⁻¹(p) = q·A(r)/B(r) with q = p − ½, r = 0.180625 − q²;
 * - tails, with r = √(−ln min(p, 1 − p)): C(r − 1.6)/D(r − 1.6) for r ≤ 5, E(r − 5)/F(r − 5) beyond
 *   (p down to about 1e-300), with the sign of q.
 */

// Coefficients of A…F, lowest order first (B, D and F have leading 1): the published 20-digit constants
// written as the doubles they round to.
const A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
];
const C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
];

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i];
  return value;
}

/**
 * Φ⁻¹(p) for p ∈ [0, 1]: −∞ at 0, +∞ at 1, exactly 0 at ½, and Φ⁻¹(1 − p) = −Φ⁻¹(p).
 * Throws a RangeError for p outside [0, 1] or NaN.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(A, r)) / polynomial(B, r);
  }
  // The smaller tail probability; 1 − p is exact for p ≥ ½ (Sterbenz), so the upper tail is as accurate
  // as p itself allows.
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(C, r) / polynomial(D, r);
  } else {
    r -= 5;
    value = polynomial(E, r) / polynomial(F, r);
  }
  return q < 0 ? -value : value;
}
