/**
 * Reference classifiers cached on disk, one per dataset and config, so every model scored on a dataset is
 * judged by the same network and only the first score pays for training it:
 *
 *   <cache root>/classifiers/<dataset>-<hash of the parsed config>/
 *
 * with the cache root `$GENZOO_CACHE_DIR`, else `$XDG_CACHE_HOME/genzoo` or `~/.cache/genzoo` (the folder
 * whose `datasets/` holds downloaded data). An entry is an ordinary genzoo checkpoint folder (see
 * `checkpointDirectory` of @genzoo/core/node): the weights with sizes and CRC-32 in the manifest, the classifier's config as
 * the model config, its training settings, the train seconds in `state.seconds`, the test accuracy in
 * `metrics.eval.accuracy`, the date in `createdAt` and the dataset in `run`. It is written atomically
 * (a temporary folder of the writer's own, then a rename), and an entry that does not load (truncated,
 * corrupt, another config) is reported and trained again.
 *
 * Several processes may score on the same dataset at once (a benchmark suite, two terminals). The entry's
 * lock `<dir>.lock` is held while the entry is checked, trained and written, so the first process trains
 * it and the others wait for it (telling the user whom they wait for) and then read what it wrote.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CheckpointError,
  type Dataset,
  formatZodIssues,
  loadCheckpoint,
  RNG_SCHEME,
  readTensor,
  restoreVariables,
  saveCheckpoint,
  trainConfigSchema,
  type WarningHandler,
} from '@genzoo/core';
import {
  acquireLock,
  checkpointDirectory,
  checkpointExists,
  describeHolder,
  previousPath,
} from '@genzoo/core/node';
import { version as evaluationVersion } from '../../package.json';
import {
  type ClassifierConfig,
  type ClassifierConfigInput,
  classifierConfigHash,
  classifierConfigSchema,
} from './config.js';
import { ReferenceClassifier } from './network.js';
import {
  type ClassifierProgress,
  classifierSchedule,
  type TrainedClassifier,
  trainClassifier,
} from './train.js';

/** The checkpoint's model name; bump CLASSIFIER_VERSION when the network changes, so old entries retrain. */
export const CLASSIFIER_MODEL_NAME = 'reference-classifier';
export const CLASSIFIER_VERSION = 1;

export interface ClassifierInfo {
  /** Dataset name the classifier was trained for, e.g. `fashion-mnist`. */
  dataset: string;
  config: ClassifierConfig;
  /** Top-1 accuracy on the dataset's test split. */
  testAccuracy: number;
  trainSeconds: number;
  /** ISO 8601 time the classifier was saved. */
  createdAt: string;
}

export interface CachedClassifier extends ClassifierInfo {
  classifier: ReferenceClassifier;
  /** The cache entry's directory. */
  dir: string;
  /** Whether this call trained the classifier (false: read from the cache). */
  trained: boolean;
}

export interface ReferenceClassifierOptions {
  /** Dataset name, part of the cache key. */
  dataset: string;
  /** The dataset's splits with default options (grey/colour levels), loaded only when training. */
  load: () => Promise<{ train: Dataset; test: Dataset }>;
  config?: ClassifierConfigInput;
  /** Cache root (default: see the module doc). */
  cacheDir?: string;
  /** Training progress, only called when the classifier is trained. */
  onProgress?: ClassifierProgress;
  /**
   * Told when a cache entry is unusable and trained again, and when another process is training the
   * classifier and this one waits for it; default console.warn.
   */
  onWarning?: WarningHandler;
  /** How long to wait for another process that holds the entry's lock (default: 2 hours). */
  lockTimeoutMs?: number;
}

/** Training the Fashion-MNIST classifier takes minutes on two cores; a waiter gives up after this. */
const DEFAULT_LOCK_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/** `$GENZOO_CACHE_DIR`, else `$XDG_CACHE_HOME/genzoo`, else `~/.cache/genzoo`. */
export function genzooCacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.GENZOO_CACHE_DIR) return env.GENZOO_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'genzoo');
}

/** The cache entry of `dataset`'s classifier with `config`. */
export function classifierCacheDir(dataset: string, config: ClassifierConfig, cacheDir?: string): string {
  const key = `${dataset}-${classifierConfigHash(config, CLASSIFIER_VERSION)}`;
  return join(cacheDir ?? genzooCacheRoot(), 'classifiers', key);
}

/** The cached classifier for the dataset and config, trained (and cached) first when missing or unusable. */
export async function referenceClassifier(options: ReferenceClassifierOptions): Promise<CachedClassifier> {
  const config = classifierConfigSchema.parse(options.config ?? {});
  const dir = classifierCacheDir(options.dataset, config, options.cacheDir);
  const warn = options.onWarning ?? ((message: string) => console.warn(`warning: ${message}`));
  mkdirSync(dirname(dir), { recursive: true });
  const lock = await acquireLock(`${dir}.lock`, {
    purpose: `training the ${options.dataset} reference classifier`,
    wait: {
      timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      onWait: (holder) =>
        warn(`waiting for ${describeHolder(holder)} to finish the reference classifier ${dir}`),
    },
  });
  try {
    return await cachedOrTrained(dir, config, options, warn);
  } finally {
    lock.release();
  }
}

/** The entry at `dir` (the caller holds its lock), trained and written first when missing or unusable. */
async function cachedOrTrained(
  dir: string,
  config: ClassifierConfig,
  options: ReferenceClassifierOptions,
  warn: WarningHandler,
): Promise<CachedClassifier> {
  if (checkpointExists(dir)) {
    try {
      return { ...(await loadClassifier(dir, options.dataset, config)), dir, trained: false };
    } catch (error) {
      warn(
        `the cached reference classifier ${dir} is unusable (${(error as Error).message}); training it again`,
      );
      rmSync(dir, { recursive: true, force: true });
      rmSync(previousPath(dir), { recursive: true, force: true });
    }
  }
  const { train, test } = await options.load();
  const trained = await trainClassifier({ train, test, config, onProgress: options.onProgress });
  try {
    const createdAt = await saveClassifier(dir, options.dataset, trained, train.size);
    const { testAccuracy, trainSeconds, classifier } = trained;
    return {
      classifier,
      dataset: options.dataset,
      config,
      testAccuracy,
      trainSeconds,
      createdAt,
      dir,
      trained: true,
    };
  } catch (error) {
    trained.classifier.dispose();
    throw error;
  }
}

/** Writes the classifier as a checkpoint at `dir` (atomically); returns its creation time. */
export async function saveClassifier(
  dir: string,
  dataset: string,
  trained: TrainedClassifier,
  trainExamples: number,
): Promise<string> {
  const { classifier, testAccuracy, trainSeconds } = trained;
  const { config } = classifier;
  const weights = Object.fromEntries(
    await Promise.all(
      Object.entries(classifier.variables()).map(
        async ([key, v]) => [key, await readTensor(key, v)] as const,
      ),
    ),
  );
  const stepsPerEpoch = Math.ceil(trainExamples / config.batchSize);
  const steps = stepsPerEpoch * config.epochs;
  const manifest = await saveCheckpoint(checkpointDirectory(dir), {
    model: {
      name: CLASSIFIER_MODEL_NAME,
      plugin: '@genzoo/evaluation',
      pluginVersion: evaluationVersion,
      config: { ...config },
      eventShape: [...classifier.imageShape],
      numClasses: classifier.numClasses,
      seed: config.seed,
    },
    train: trainConfigSchema.parse({
      epochs: config.epochs,
      batchSize: config.batchSize,
      optimizer: { name: 'adam', learningRate: config.learningRate },
      schedule: classifierSchedule(steps),
      seed: config.seed,
    }),
    state: {
      step: steps,
      epoch: config.epochs,
      batchInEpoch: 0,
      batchIndex: steps,
      trainExamples,
      seconds: trainSeconds,
      rng: { seed: config.seed, scheme: RNG_SCHEME },
    },
    metrics: { eval: { accuracy: testAccuracy } },
    run: { dataset, classifierVersion: CLASSIFIER_VERSION },
    weights,
  });
  return manifest.createdAt;
}

/** Reads the classifier at `dir`, checking that it is the one asked for. */
export async function loadClassifier(
  dir: string,
  dataset: string,
  config: ClassifierConfig,
): Promise<ClassifierInfo & { classifier: ReferenceClassifier }> {
  const checkpoint = await loadCheckpoint(checkpointDirectory(dir));
  const { model, metrics, run, state, createdAt } = checkpoint.manifest;
  if (model.name !== CLASSIFIER_MODEL_NAME || run.classifierVersion !== CLASSIFIER_VERSION) {
    throw new CheckpointError(
      `${dir} holds "${model.name}" version ${String(run.classifierVersion)}, not ${CLASSIFIER_MODEL_NAME} version ${CLASSIFIER_VERSION}`,
    );
  }
  const stored = classifierConfigSchema.safeParse(model.config);
  if (!stored.success) throw new CheckpointError(`${dir}: config: ${formatZodIssues(stored.error)}`);
  if (JSON.stringify(stored.data) !== JSON.stringify(config) || run.dataset !== dataset) {
    throw new CheckpointError(`${dir} holds a classifier for another dataset or config`);
  }
  const testAccuracy = metrics.eval.accuracy;
  if (typeof testAccuracy !== 'number' || model.numClasses === undefined) {
    throw new CheckpointError(`${dir} lacks the test accuracy or the number of classes`);
  }
  const classifier = new ReferenceClassifier(stored.data, model.eventShape, model.numClasses);
  try {
    restoreVariables(classifier.variables(), checkpoint.weights, dir);
  } catch (error) {
    classifier.dispose();
    throw error;
  }
  return { classifier, dataset, config: stored.data, testAccuracy, trainSeconds: state.seconds, createdAt };
}
