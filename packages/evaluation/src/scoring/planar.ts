/**
 * Sample quality of a model of a 2-D set, where the coordinates are the features: the Fréchet distance,
 * the kernel distance and k-NN precision/recall of n samples against the first n test points, and, for
 * the mixtures whose modes the datasets package describes (8 Gaussians), how many modes the samples cover
 * (core's `modeCoverage`: the 2-D test of mode collapse).
 */
import { ConfigError, deriveSeed, type GenerativeModel } from '@genzoo/core';
import { type LoadedDataset, TOY_GENERATORS } from '@genzoo/datasets';
import { type FeatureSet, frechetDistance, kernelDistance, modeCoverage, precisionRecall } from '../index.js';

export function isPlanarData(data: LoadedDataset): boolean {
  return data.test.eventShape.length === 1 && data.test.eventShape[0] === 2;
}

export async function scorePlanar(args: {
  model: GenerativeModel;
  data: LoadedDataset;
  n: number;
  seed: number;
}): Promise<Record<string, number>> {
  const { model, data, n, seed } = args;
  if (n > data.test.size) {
    throw new ConfigError(`--n ${n} exceeds the ${data.test.size} test points of ${data.spec.name}`);
  }
  const drawn = model.sample(n, { seed: deriveSeed(seed, 'score') });
  const fake: FeatureSet = { values: (await drawn.data()) as Float32Array, count: n, dim: 2 };
  drawn.dispose();
  const batch = data.test.getBatch(Int32Array.from({ length: n }, (_, i) => i));
  const real: FeatureSet = { values: (await batch.x.data()) as Float32Array, count: n, dim: 2 };
  for (const t of [batch.x, batch.labels, batch.condition]) t?.dispose();

  const kid = kernelDistance(real, fake, { seed });
  const { precision, recall } = precisionRecall(real, fake);
  const metrics: Record<string, number> = {
    fd: frechetDistance(real, fake),
    kid: kid.kid,
    kid_stderr: kid.stderr,
    precision,
    recall,
    n,
  };
  const generator = TOY_GENERATORS.find((g) => g.name === data.spec.name);
  if (generator?.modes) {
    const noise = (data.spec.options.noise as number | undefined) ?? generator.defaultNoise;
    const coverage = modeCoverage(fake.values, generator.modes(noise));
    metrics.modes_covered = coverage.modesCovered;
    metrics.modes = coverage.modes;
    metrics.high_quality_fraction = coverage.highQualityFraction;
  }
  return metrics;
}
