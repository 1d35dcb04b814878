/**
 * What `train` and `resume` share: the Trainer's callbacks for a run directory, and the end of a run
 * (test metrics, pictures, result.json, and the summary or the --json line).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  ConfigError,
  type Dataset,
  defaultRegistry,
  type EvaluationSettings,
  evaluationSettingsSchema,
  formatZodIssues,
  type GenerativeModel,
  type GradientWorkerPool,
  hasLatentGroups,
  hasLevelReconstructions,
  hasSampleStages,
  imageShapeOf,
  isConditionalModel,
  isMultiDomainTranslationModel,
  isTranslationModel,
  type TrainerCallback,
  type TrainResult,
} from '@genzoo/core';
import { JsonlMetricsLogger, ProgressBar, writeFileAtomic } from '@genzoo/core/node';
import type { LoadedDataset } from '@genzoo/datasets';
import { evaluateModel } from '@genzoo/evaluation';
import { scoreSamples } from '@genzoo/evaluation/node';
import {
  isPlanarDensity,
  latentGroupKls,
  writeCurves,
  writeDensityPicture,
  writeKlGroupsPicture,
  writeLevelsPicture,
  writeMultiDomainPicture,
  writePlayerLosses,
  writeSamplePicture,
  writeStagesPicture,
  writeTemperaturesPicture,
  writeTranslationPicture,
} from '@genzoo/pictures/node';
import { printJson } from './output.js';
import { runPaths } from './setup.js';

/**
 * Checks evaluation settings from a recipe, a run file or a checkpoint before anything is trained, so a
 * bad block fails at once instead of after the training it would have ended.
 */
export function parseEvaluationSettings(value: unknown, where: string): EvaluationSettings {
  const parsed = evaluationSettingsSchema.safeParse(value ?? {});
  if (!parsed.success) throw new ConfigError(`${where}: evaluation: ${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

export function runCallbacks(dir: string, quiet: boolean): TrainerCallback[] {
  return [new ProgressBar({ quiet }), new JsonlMetricsLogger(runPaths(dir).metrics)];
}

/** Importance samples of the monitoring evaluation (the final test evaluation uses the run's own K). */
export const PERIODIC_SAMPLES = 100;

/**
 * The evaluation the Trainer calls every evalEvery steps and at the end, on validation data (or a test
 * subset): a monitoring estimate on at most 1000 examples with at most PERIODIC_SAMPLES importance samples.
 * The run's K (5000 in the benchmark protocol) is spent once, on the final test evaluation; at the end
 * of a run this pass would otherwise repeat most of that work.
 */
export function periodicEvaluation(data: Dataset, settings: EvaluationSettings) {
  return (model: GenerativeModel) =>
    evaluateModel(model, data, {
      limit: Math.min(settings.limit ?? 1000, 1000),
      samples: Math.min(settings.samples ?? PERIODIC_SAMPLES, PERIODIC_SAMPLES),
    });
}

export interface RunSummary {
  model: string;
  dataset: string;
  steps: number;
  /** Wall-clock seconds of the Trainer's run (steps, evaluations, checkpoints, callbacks). */
  seconds: number;
  /** Training examples over `seconds`. */
  examples_per_second: number;
  /** Training examples over the training steps' own seconds (`timing.steps`): the loop's throughput. */
  train_examples_per_second: number;
  /** Shards each batch was split into: the main thread and its gradient worker threads (`--workers`). */
  workers: number;
  /**
   * Where the time went: the Trainer's setup, steps, evaluations, checkpoints and other (callbacks), then
   * this command's final test evaluation and sample scoring (`test_evaluation`); the samples picture is
   * `sampling.seconds`.
   */
  timing: {
    setup: number;
    steps: number;
    evaluation: number;
    checkpoints: number;
    other: number;
    test_evaluation: number;
  };
  backend: string;
  /** Peak resident memory of this process, MiB. */
  peak_memory_mb: number;
  out: string;
  test: Record<string, number>;
  train: Record<string, number>;
  /**
   * How long drawing samples.png took (sampling and the picture), so benchmarks can report sampling
   * speed: for autoregressive models it is one network pass per pixel, and differs by orders of magnitude.
   */
  sampling: { images: number; seconds: number; images_per_second: number };
  files: Record<string, string>;
}

export async function finishRun(args: {
  dir: string;
  model: GenerativeModel;
  modelName: string;
  datasetName: string;
  data: LoadedDataset;
  result: TrainResult;
  backend: string;
  evaluation: EvaluationSettings;
  seed: number;
  json: boolean;
  /** The run's gradient workers (still started on the model): the test evaluation shares its batches out over them. */
  workers?: GradientWorkerPool;
}): Promise<RunSummary> {
  const { dir, model, data, result } = args;
  const paths = runPaths(dir);
  const quiet = args.json || !process.stderr.isTTY;
  const testStart = performance.now();
  const test = await evaluateModel(model, data.test, {
    limit: args.evaluation.limit,
    samples: args.evaluation.samples,
    seed: args.seed,
    ...(args.workers ? { workers: args.workers } : {}),
    onProgress: quiet ? undefined : (done, total) => process.stderr.write(`\revaluating ${done}/${total}`),
  });
  if (!quiet) process.stderr.write('\n');
  if (args.evaluation.score) {
    const { metrics } = await scoreSamples({
      model,
      modelName: args.modelName,
      datasetName: args.datasetName,
      data,
      // A recipe's n (10,000 as for FID) on a smaller test split (mnist-10k's 1,000) scores them all;
      // the result's `n` says how many.
      n: Math.min(args.evaluation.score.n, data.test.size),
      seed: args.seed,
      classifierEpochs: args.evaluation.score.classifierEpochs,
      quiet,
    });
    Object.assign(test, metrics);
  }
  const testEvaluationSeconds = (performance.now() - testStart) / 1000;
  const files: Record<string, string> = {
    checkpoint: resolve(paths.checkpoint),
    metrics: resolve(paths.metrics),
  };
  const numClasses = isConditionalModel(model) ? model.numClasses : undefined;
  // Image grids show 64 samples (8 per class for conditional models); 2-D scatters need more points.
  const imageLike = imageShapeOf(model.eventShape) !== undefined;
  const translation = isTranslationModel(model);
  const multiDomain = isMultiDomainTranslationModel(model);
  // Translation models draw 8 test pairs (their six images each), multi-domain ones 8 test images (and
  // their translations to every domain).
  const images = translation || multiDomain ? 8 : numClasses ? numClasses * 8 : imageLike ? 64 : 1000;
  const start = performance.now();
  const { values } = data.train;
  const range: [number, number] =
    values.kind === 'continuous' && values.range.every(Number.isFinite) ? values.range : [0, 1];
  if (translation) {
    writeTranslationPicture(model, paths.samples, { pairs: data.test, count: images, range });
  } else if (multiDomain) {
    writeMultiDomainPicture(model, paths.samples, { data: data.test, count: images, range });
  } else {
    writeSamplePicture(model, paths.samples, {
      n: images,
      seed: args.seed,
      data: data.train,
      numClasses,
      range,
    });
  }
  const samplingSeconds = (performance.now() - start) / 1000;
  files.samples = resolve(paths.samples);
  // Models whose definition names sampling temperatures (NVAE's 1.0, 0.8, 0.6): a row of samples at each.
  const temperatures = sampleTemperaturesOf(args.modelName);
  if (temperatures && imageLike && !translation && !multiDomain) {
    writeTemperaturesPicture(model, paths.temperatures, {
      temperatures,
      n: numClasses ?? 8,
      seed: args.seed,
      numClasses,
      range,
    });
    files.temperatures = resolve(paths.temperatures);
  }
  // Models with groups of latents report each group's test KL (kl_group_1 …): which ones carry information.
  const groupKls = latentGroupKls(test);
  if (groupKls.length > 0) {
    writeKlGroupsPicture(paths.klGroups, groupKls, hasLatentGroups(model) ? model.groups : undefined);
    files.klGroups = resolve(paths.klGroups);
  }
  if (isPlanarDensity(model)) {
    writeDensityPicture(model, paths.density, data.train);
    files.density = resolve(paths.density);
    if (hasSampleStages(model)) {
      writeStagesPicture(model, paths.layers, { n: 1000, seed: args.seed });
      files.layers = resolve(paths.layers);
    }
  }
  if (imageLike && hasLevelReconstructions(model)) {
    // Each latent level's detail: test images, then their reconstructions from the coarsest level up.
    writeLevelsPicture(model, paths.levels, { data: data.test, count: 8, range });
    files.levels = resolve(paths.levels);
  }
  if (writeCurves(paths.metrics, paths.curvesSvg, paths.curvesPng).length > 0) {
    files.curves = resolve(paths.curvesSvg);
    files.curvesPng = resolve(paths.curvesPng);
  }
  if (writePlayerLosses(paths.metrics, paths.losses).length > 0) files.losses = resolve(paths.losses);
  const summary: RunSummary = {
    model: args.modelName,
    dataset: args.datasetName,
    steps: result.steps,
    seconds: round(result.seconds),
    examples_per_second: round(result.examplesPerSecond),
    train_examples_per_second: round(result.trainExamplesPerSecond),
    workers: result.workers,
    timing: {
      setup: round(result.timing.setup),
      steps: round(result.timing.steps),
      evaluation: round(result.timing.evaluation),
      checkpoints: round(result.timing.checkpoints),
      other: round(result.timing.other),
      test_evaluation: round(testEvaluationSeconds),
    },
    backend: args.backend,
    peak_memory_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    out: resolve(dir),
    test,
    train: result.lastMetrics,
    sampling: {
      images,
      seconds: round(samplingSeconds),
      images_per_second: round(images / samplingSeconds),
    },
    files,
  };
  // Last, and all at once: a result.json describes a finished run and its final checkpoint.
  writeFileAtomic(paths.result, `${JSON.stringify(summary, null, 2)}\n`);
  if (args.json) {
    printJson(summary);
  } else {
    console.log(
      `trained ${summary.model} on ${summary.dataset}: ${summary.steps} steps in ${summary.seconds}s ` +
        `(${summary.examples_per_second} examples/s; ${summary.train_examples_per_second} in the training ` +
        `steps alone; ${summary.backend}, ${summary.workers} ${summary.workers === 1 ? 'worker' : 'workers'})`,
    );
    for (const [k, v] of Object.entries(test)) console.log(`  test ${k}: ${v}`);
    for (const [k, v] of Object.entries(files)) console.log(`  ${k}: ${v}`);
  }
  return summary;
}

/** The sampling temperatures a model's definition asks pictures for, if it is registered and names any. */
function sampleTemperaturesOf(modelName: string): readonly number[] | undefined {
  try {
    const temperatures = defaultRegistry.get(modelName).definition.sampleTemperatures;
    return temperatures && temperatures.length > 0 ? temperatures : undefined;
  } catch {
    return undefined;
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
