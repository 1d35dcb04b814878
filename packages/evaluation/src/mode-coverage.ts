/**
 * Mode coverage of samples from a model of a known mixture, the 2-D test of mode collapse (Metz et al.
 * 2017, "Unrolled GANs"; Srivastava et al. 2017, VEEGAN; Lin et al. 2018, PacGAN): each sample goes to its
 * nearest mode, and counts as high quality when it lies within `radius` standard deviations of it; a mode
 * is covered when at least `minFraction` of all samples are high-quality samples of that mode (PacGAN's
 * 20 samples of 2,500 is 0.8%; the default 1% is a little stricter).
 */
import { ConfigError, ShapeError } from '@genzoo/core';

export interface ModeCoverageOptions {
  /** In standard deviations of the modes (default 3). */
  radius?: number;
  /** Fraction of the samples a mode needs to count as covered (default 0.01). */
  minFraction?: number;
}

export interface ModeCoverage {
  /** How many modes are covered. */
  modesCovered: number;
  modes: number;
  /** Fraction of samples within `radius` standard deviations of their nearest mode. */
  highQualityFraction: number;
  /** High-quality samples per mode. */
  counts: number[];
}

/** Coverage of the isotropic modes (`centers`, common `stddev`) by `samples`, row-major [n, d]. */
export function modeCoverage(
  samples: ArrayLike<number>,
  modes: { centers: ReadonlyArray<ArrayLike<number>>; stddev: number },
  options: ModeCoverageOptions = {},
): ModeCoverage {
  const { centers, stddev } = modes;
  const radius = options.radius ?? 3;
  const minFraction = options.minFraction ?? 0.01;
  if (centers.length === 0) throw new ConfigError('modeCoverage: no modes given');
  if (!(stddev > 0)) throw new ConfigError(`modeCoverage: the modes' stddev must be positive, got ${stddev}`);
  const d = centers[0].length;
  if (samples.length === 0 || samples.length % d !== 0) {
    throw new ShapeError(`modeCoverage: ${samples.length} values are not rows of the modes' dimension ${d}`);
  }
  const n = samples.length / d;
  const counts = new Array<number>(centers.length).fill(0);
  const limit = (radius * stddev) ** 2;
  let highQuality = 0;
  for (let i = 0; i < n; i++) {
    let nearest = 0;
    let best = Number.POSITIVE_INFINITY;
    centers.forEach((center, k) => {
      let distance = 0;
      for (let j = 0; j < d; j++) distance += (samples[i * d + j] - center[j]) ** 2;
      if (distance < best) [best, nearest] = [distance, k];
    });
    if (best <= limit) {
      counts[nearest]++;
      highQuality++;
    }
  }
  const needed = Math.max(1, minFraction * n);
  return {
    modesCovered: counts.filter((c) => c >= needed).length,
    modes: centers.length,
    highQualityFraction: highQuality / n,
    counts,
  };
}
