/**
 * Sample-quality scoring of a trained model, shared by `genzoo score` and the end of a training run
 * (evaluation settings with `score: { n }`): n samples drawn in batches, against the first n test
 * examples as the run sees them, through the dataset's reference classifier (cached, trained on first
 * use); for class-conditional models also the Classification Accuracy Score of a classifier trained on
 * the samples and their labels.
 */

import {
  ConfigError,
  DataError,
  deriveSeed,
  type GenerativeModel,
  isConditionalModel,
  isMultiDomainTranslationModel,
  isTranslationModel,
  ShapeError,
  tf,
} from '@genzoo/core';
import { ProgressBar } from '@genzoo/core/node';
import {
  getDatasetDefinition,
  InMemoryDataset,
  type LoadedDataset,
  loadDataset,
  parseDatasetOptions,
} from '@genzoo/datasets/node';
import { type CachedClassifier, referenceClassifier } from '../classifier/cache.js';
import {
  type ClassifierConfigInput,
  type ClassifierProgress,
  classificationAccuracyScore,
  MIN_SAMPLE_QUALITY_N,
  type SampleQuality,
  sampleQuality,
} from '../index.js';
import { scoreMultiDomainTranslation } from './multi-domain.js';
import { isPlanarData, scorePlanar } from './planar.js';
import { scoreTranslation } from './translation.js';

/** Samples drawn per model.sample call. */
const SAMPLE_BATCH = 250;

export interface ScoreOptions {
  model: GenerativeModel;
  modelName: string;
  /** Base dataset name: the reference classifier is the one for this dataset. */
  datasetName: string;
  /** The test split as the run sees it (its options: binarized, [−1, 1], flattened …). */
  test: InMemoryDataset;
  n: number;
  seed: number;
  /** Overrides the reference classifier's epochs (a different, separately cached classifier). */
  classifierEpochs?: number;
  /** No progress on stderr. */
  quiet: boolean;
}

export interface ScoreResult {
  metrics: SampleQuality & { cas?: number };
  classifier: { accuracy: number; path: string; trained: boolean };
}

/** What `scoreSamples` reports: the metrics, and the reference classifier when one scored them. */
export interface SamplesScore {
  metrics: Record<string, number>;
  classifier?: ScoreResult['classifier'];
}

/**
 * Sample quality of any model that samples, on its run's data: 2-D sets by their coordinates (with mode
 * coverage for mixtures, see planar-scoring.ts), translation models by their translations of the test
 * pairs (translation-scoring.ts), multi-domain translation models by their translations of the test
 * images to every domain (multi-domain.ts), images through the dataset's reference classifier.
 */
export async function scoreSamples(
  options: Omit<ScoreOptions, 'test'> & { data: LoadedDataset },
): Promise<SamplesScore> {
  checkScoreCount(options.n);
  const { data, model, ...rest } = options;
  if (isPlanarData(data)) return { metrics: await scorePlanar({ ...rest, model, data }) };
  if (isTranslationModel(model)) return scoreTranslation({ ...rest, model, data, scoreImages });
  if (isMultiDomainTranslationModel(model)) {
    const { datasetName, n } = options;
    const classifier = () => cachedClassifier(options);
    return scoreMultiDomainTranslation({ model, data, datasetName, n, classifier });
  }
  return scoreImages({ ...rest, model, test: data.test });
}

/**
 * Every kind of score (image, 2-D, translation) needs a few samples per set: KID's blocks and the k-NN
 * radii of precision/recall. Checked before anything is drawn or computed.
 */
export function checkScoreCount(n: number): void {
  if (!Number.isInteger(n) || n < MIN_SAMPLE_QUALITY_N) {
    throw new ConfigError(`sample-quality scores need n ≥ ${MIN_SAMPLE_QUALITY_N} samples, got ${n}`);
  }
}

async function scoreImages(options: ScoreOptions): Promise<SamplesScore> {
  const { metrics, classifier } = await scoreModel(options);
  return { metrics: Object.fromEntries(Object.entries(metrics)), classifier };
}

export async function scoreModel(options: ScoreOptions): Promise<ScoreResult> {
  const { model, modelName, datasetName, test, n, seed, quiet } = options;
  const imageShape = datasetImageShape(datasetName);
  const size = imageShape.reduce((a, b) => a * b, 1);
  if (model.eventShape.reduce((a, b) => a * b, 1) !== size) {
    throw new ShapeError(
      `model "${modelName}" draws samples of shape [${model.eventShape.join(', ')}], not ${datasetName} images ` +
        `of shape [${imageShape.join(', ')}]`,
    );
  }
  // Checked before the classifier, which may take minutes to train.
  if (n > test.size) {
    throw new ConfigError(`n = ${n} exceeds the ${test.size} test images of ${datasetName}`);
  }
  const config = classifierConfig(options);
  const cached = await cachedClassifier(options);
  try {
    const drawn = await drawSamples(model, n, seed);
    const metrics: ScoreResult['metrics'] = await sampleQuality({
      classifier: cached.classifier,
      real: test,
      samples: hostBatches(drawn.values, n, model.eventShape),
      n,
      values: test.values,
      seed,
    });
    if (drawn.labels && isConditionalModel(model)) {
      if (!quiet)
        process.stderr.write('training a classifier on the samples for the classification accuracy score\n');
      const samples = InMemoryDataset.fromArrays({
        name: `${modelName} samples`,
        eventShape: imageShape,
        examples: drawn.values,
        labels: drawn.labels,
        numClasses: model.numClasses,
        values: test.values,
      });
      const { cas } = await classificationAccuracyScore({
        samples,
        test: test.eventShape.length === 3 ? test : test.reshape(imageShape),
        config,
        onProgress: progressBar(quiet),
      });
      metrics.cas = cas;
    }
    return {
      metrics,
      classifier: { accuracy: cached.testAccuracy, path: cached.dir, trained: cached.trained },
    };
  } finally {
    cached.classifier.dispose();
  }
}

function classifierConfig(options: Pick<ScoreOptions, 'classifierEpochs'>): ClassifierConfigInput {
  return options.classifierEpochs !== undefined ? { epochs: options.classifierEpochs } : {};
}

/** The dataset's reference classifier from the cache, trained (with progress unless quiet) when missing. */
function cachedClassifier(
  options: Pick<ScoreOptions, 'datasetName' | 'classifierEpochs' | 'quiet'>,
): Promise<CachedClassifier> {
  const { datasetName, quiet } = options;
  return referenceClassifier({
    dataset: datasetName,
    config: classifierConfig(options),
    load: async () => {
      if (!quiet)
        process.stderr.write(`training the reference classifier for ${datasetName} (once: it is cached)\n`);
      return loadDataset(datasetName, {});
    },
    onProgress: progressBar(quiet),
  });
}

/** The dataset's example shape with default options, which must be an image [H, W, C]. */
function datasetImageShape(name: string): number[] {
  const shape = getDatasetDefinition(name).eventShape(parseDatasetOptions(name, {}));
  if (shape.length !== 3) {
    throw new ConfigError(
      `sample-quality scores need an image dataset; ${name} has examples of shape [${shape.join(', ')}]`,
    );
  }
  return shape;
}

/** core's progress bar fed by the classifier's training steps (drawn only on a terminal). */
function progressBar(quiet: boolean): ClassifierProgress {
  const bar = new ProgressBar({ quiet });
  return (step, metrics, progress) => {
    bar.onStepEnd(step, metrics, progress);
    if (step === progress.totalSteps) bar.onTrainEnd();
  };
}

/**
 * n samples on the host, drawn SAMPLE_BATCH at a time with seeds (seed, 'score', batch); a conditional
 * model draws the classes in turn (balanced labels), returned with them.
 */
async function drawSamples(
  model: GenerativeModel,
  n: number,
  seed: number,
): Promise<{ values: Float32Array; labels?: Int32Array }> {
  const size = model.eventShape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n * size);
  const numClasses = isConditionalModel(model) ? model.numClasses : undefined;
  const labels =
    numClasses !== undefined ? Int32Array.from({ length: n }, (_, i) => i % numClasses) : undefined;
  for (let start = 0, b = 0; start < n; start += SAMPLE_BATCH, b++) {
    const count = Math.min(SAMPLE_BATCH, n - start);
    const batch = tf.tidy(() => {
      const condition =
        labels && numClasses !== undefined
          ? (tf.oneHot(
              tf.tensor1d(labels.subarray(start, start + count), 'int32'),
              numClasses,
            ) as tf.Tensor2D)
          : undefined;
      return model.sample(count, { seed: deriveSeed(seed, 'score', b), ...(condition ? { condition } : {}) });
    });
    const drawn = (await batch.data()) as Float32Array;
    batch.dispose();
    if (drawn.length !== count * size) {
      throw new ShapeError(
        `model.sample(${count}) returned ${drawn.length} values, expected ${count * size}`,
      );
    }
    const bad = drawn.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new DataError(`the model drew a non-finite sample value (${drawn[bad]}); it cannot be scored`);
    values.set(drawn, start * size);
  }
  return labels ? { values, labels } : { values };
}

/** Host samples as device batches, one at a time (sampleQuality disposes each). */
function* hostBatches(values: Float32Array, n: number, eventShape: readonly number[]): Generator<tf.Tensor> {
  const size = eventShape.reduce((a, b) => a * b, 1);
  for (let start = 0; start < n; start += SAMPLE_BATCH) {
    const count = Math.min(SAMPLE_BATCH, n - start);
    yield tf.tensor(values.subarray(start * size, (start + count) * size), [count, ...eventShape]);
  }
}
