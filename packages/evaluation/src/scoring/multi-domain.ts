/**
 * Translation quality of a multi-domain translation model (StarGAN) on its dataset's test images, whose
 * labels are their domains, through the dataset's own reference classifier — so a domain classifier,
 * trained apart on the multi-domain training set and cached like every reference classifier:
 *
 * - `target_accuracy`: of the translations G(x, k) of the first n test images x to every domain k other
 *   than their own, the fraction the classifier assigns to k (`target_accuracy_to_<domain>` per k);
 * - `classifier_fd_to_<domain>`: the Fréchet distance of the classifier's penultimate features between
 *   the translations to domain k of test images from the other domains and the real test images of k
 *   among the first n, as many of each (the first translations in test order); `classifier_fd` is their
 *   mean over the domains.
 *
 * The model's own reconstruction error (`recon_error`, evaluateModel) completes the picture.
 */
import {
  ConfigError,
  DataError,
  type GenerativeModel,
  type MultiDomainTranslationModel,
  tf,
} from '@genzoo/core';
import { getDatasetDefinition, type LoadedDataset } from '@genzoo/datasets/node';
import type { CachedClassifier } from '../classifier/cache.js';
import { classifierOutputs } from '../classifier/outputs.js';
import { type FeatureSet, frechetDistance } from '../sample-quality/index.js';
import type { SamplesScore } from './score-samples.js';

/** Images translated at a time. */
const BATCH = 250;

/** The first n test images on the host, with their domains. */
async function testImages(data: LoadedDataset, n: number): Promise<{ x: Float32Array; domains: Int32Array }> {
  const batch = data.test.getBatch(Int32Array.from({ length: n }, (_, i) => i));
  try {
    if (!batch.labels) throw new DataError(`${data.test.name} has no domain labels`);
    return {
      x: (await batch.x.data()) as Float32Array,
      domains: Int32Array.from(await batch.labels.data()),
    };
  } finally {
    tf.dispose(Object.values(batch));
  }
}

/** The rows of a feature set whose index passes `keep`, at most `limit` of them. */
function rows(set: FeatureSet, keep: (i: number) => boolean, limit = set.count): FeatureSet {
  const picked: number[] = [];
  for (let i = 0; i < set.count && picked.length < limit; i++) if (keep(i)) picked.push(i);
  const values = new Float32Array(picked.length * set.dim);
  for (const [j, row] of picked.entries()) {
    values.set(set.values.subarray(row * set.dim, (row + 1) * set.dim), j * set.dim);
  }
  return { values, count: picked.length, dim: set.dim };
}

export async function scoreMultiDomainTranslation(options: {
  model: GenerativeModel & MultiDomainTranslationModel;
  data: LoadedDataset;
  datasetName: string;
  n: number;
  /** The dataset's cached reference classifier (trained on first use). */
  classifier: () => Promise<CachedClassifier>;
}): Promise<SamplesScore> {
  const { model, data, datasetName, n } = options;
  const names = getDatasetDefinition(datasetName).domainNames;
  const K = model.numDomains;
  if (!names || names.length !== K) {
    throw new ConfigError(
      `${datasetName} is not a multi-domain dataset of ${K} domains; a multi-domain translation model needs one`,
    );
  }
  if (n > data.test.size) throw new ConfigError(`--n ${n} exceeds the ${data.test.size} test images`);
  const { x, domains } = await testImages(data, n);
  const shape = model.domainShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = data.test.values;
  const cached = await options.classifier();
  try {
    const images = tf.tensor(x, [n, ...shape]);
    const real = await classifierOutputs(cached.classifier, images, { values }).finally(() =>
      images.dispose(),
    );
    const metrics: Record<string, number> = {};
    let hits = 0;
    let translations = 0;
    let fdSum = 0;
    for (let k = 0; k < K; k++) {
      const translated = function* () {
        for (let start = 0; start < n; start += BATCH) {
          const count = Math.min(BATCH, n - start);
          yield tf.tidy(() => {
            const source = tf.tensor(x.subarray(start * size, (start + count) * size), [count, ...shape]);
            const target = tf.oneHot(tf.fill([count], k, 'int32') as tf.Tensor1D, K);
            return model.translateTo(source, tf.cast(target, 'float32') as tf.Tensor2D);
          });
        }
      };
      const fake = await classifierOutputs(cached.classifier, translated(), { values });
      const others = (i: number) => domains[i] !== k;
      let domainHits = 0;
      let domainCount = 0;
      for (let i = 0; i < n; i++) {
        if (!others(i)) continue;
        const p = fake.probabilities.subarray(i * K, (i + 1) * K);
        if (p.indexOf(Math.max(...p)) === k) domainHits++;
        domainCount++;
      }
      const ofDomain = rows(real.features, (i) => !others(i));
      const fd = frechetDistance(rows(fake.features, others, ofDomain.count), ofDomain);
      metrics[`target_accuracy_to_${names[k]}`] = domainHits / domainCount;
      metrics[`classifier_fd_to_${names[k]}`] = fd;
      hits += domainHits;
      translations += domainCount;
      fdSum += fd;
    }
    return {
      metrics: { target_accuracy: hits / translations, classifier_fd: fdSum / K, ...metrics, n },
      classifier: { accuracy: cached.testAccuracy, path: cached.dir, trained: cached.trained },
    };
  } finally {
    cached.classifier.dispose();
  }
}
