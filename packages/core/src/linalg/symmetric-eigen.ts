/**
 * Eigen-decomposition of a dense real symmetric matrix in float64: Householder reduction to
 * tridiagonal form followed by the implicit QL algorithm with Wilkinson-style shifts — the EISPACK
 * routines tred2 and tql2 (Wilkinson & Reinsch, Handbook for Automatic Computation II, 1971), in the
 * form of the public-domain JAMA library. O(n³): about a second for the 784×784 covariance of MNIST.
 *
 * Storage: the algorithm is written against the transpose V' of JAMA's eigenvector matrix V, so that
 * its inner loops (the Householder updates and the QL rotations, which run down V's columns) walk
 * contiguous rows of a row-major array. The eigenvector of eigenvalue j is row j of the result.
 */

export interface SymmetricEigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** Row-major n×n; row j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

/** Eigenvalues and eigenvectors of the symmetric n×n row-major matrix `a` (only read, never changed). */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n * n} entries, got ${a.length}`);
  // vt[j·n + k] = V[k][j]. A is symmetric, so the starting copy needs no transpose.
  const vt = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(vt, d, e, n);
  diagonalize(vt, d, e, n);
  return sortDescending(vt, d, n);
}

/** tred2: Householder reduction; on return d, e hold the tridiagonal matrix and vt the transform. */
function tridiagonalize(vt: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = vt[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = vt[j * n + i - 1];
        vt[j * n + i] = 0;
        vt[i * n + j] = 0;
      }
    } else {
      // Generate the Householder vector.
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        const rowJ = j * n;
        f = d[j];
        vt[i * n + j] = f;
        g = e[j] + vt[rowJ + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += vt[rowJ + k] * d[k];
          e[k] += vt[rowJ + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        const rowJ = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) vt[rowJ + k] -= f * e[k] + g * d[k];
        d[j] = vt[rowJ + i - 1];
        vt[rowJ + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    const rowI = i * n;
    const rowNext = (i + 1) * n;
    vt[rowI + n - 1] = vt[rowI + i];
    vt[rowI + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = vt[rowNext + k] / h;
      for (let j = 0; j <= i; j++) {
        const rowJ = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += vt[rowNext + k] * vt[rowJ + k];
        for (let k = 0; k <= i; k++) vt[rowJ + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) vt[rowNext + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = vt[j * n + n - 1];
    vt[j * n + n - 1] = 0;
  }
  vt[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** tql2: implicit QL on the tridiagonal (d, e), accumulating the rotations into vt. */
function diagonalize(vt: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    // Find a small subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    // If m === l, d[l] is already an eigenvalue; otherwise iterate.
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 60) throw new Error(`symmetricEigen: QL did not converge for eigenvalue ${l}`);
        // Compute the implicit shift.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        // Implicit QL transformation.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Accumulate the rotation into columns i and i + 1 of V (rows of vt).
          const rowI = i * n;
          const rowNext = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const t = vt[rowNext + k];
            vt[rowNext + k] = s * vt[rowI + k] + c * t;
            vt[rowI + k] = c * vt[rowI + k] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

function sortDescending(vt: Float64Array, d: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j] - d[i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from];
    vectors.set(vt.subarray(from * n, from * n + n), to * n);
  });
  return { values, vectors };
}
