/**
 * The pictures a run writes: a sample grid for image data, a scatter of samples over the data for 2-D
 * data, for 2-D models with an exact likelihood the learned density beside the data, for flows the
 * samples after each layer, for models with levels of latents their reconstructions level by level, and
 * training curves from the metrics log.
 */
import { writeFileSync } from 'node:fs';
import {
  type Dataset,
  type GenerativeModel,
  hasLevelReconstructions,
  hasSampleStages,
  imageShapeOf,
  type LatentGroupInfo,
  type MultiDomainTranslationModel,
  type SampleOptions,
  type TranslationModel,
  tf,
} from '@genzoo/core';
import { readMetricsLog } from '@genzoo/core/node';
import {
  type Bar,
  type BarChartOptions,
  barChartPng,
  densityHeatmap,
  heatmapGrid,
  imageGrid,
  labelledRows,
  linePlotPng,
  type Range,
  scatterPlot,
  sideBySide,
  smallMultiplesPng,
  smallMultiplesSvg,
} from '../image/index.js';
import { writePng } from '../png.js';

export interface SamplePictureOptions extends Omit<SampleOptions, 'condition'> {
  n: number;
  /** Data shown beside 2-D samples. */
  data?: Dataset;
  /** For conditional models: one column per class, or all samples of `label` when it is given. */
  numClasses?: number;
  /** For conditional models: the class every sample is drawn from. */
  label?: number;
  /** Values drawn black and white in image grids (default [0, 1]; [−1, 1] for tanh generators). */
  range?: [number, number];
}

/** The class of sample i: `label` for all, else the classes in turn (one column each). */
function sampleLabels(options: SamplePictureOptions): number[] {
  const { n, numClasses, label } = options;
  return Array.from({ length: n }, (_, i) => label ?? i % numClasses!);
}

/** Writes samples as a PNG (grid for images, scatter for 2-D data). Returns what was drawn. */
export function writeSamplePicture(
  model: GenerativeModel,
  path: string,
  options: SamplePictureOptions,
): string {
  const condition =
    options.numClasses !== undefined
      ? tf.tidy(() => tf.oneHot(tf.tensor1d(sampleLabels(options), 'int32'), options.numClasses!))
      : undefined;
  const samples = model.sample(options.n, {
    seed: options.seed,
    temperature: options.temperature,
    condition: condition as tf.Tensor2D | undefined,
  });
  try {
    const imageShape = imageShapeOf(model.eventShape);
    if (imageShape) {
      const images = tf.reshape(samples, [options.n, ...imageShape]);
      const perClass = options.numClasses !== undefined && options.label === undefined;
      const columns = perClass ? options.numClasses! : Math.ceil(Math.sqrt(options.n));
      writePng(path, imageGrid(images as tf.Tensor4D, { columns, range: options.range ?? [0, 1] }));
      images.dispose();
      const of =
        options.label !== undefined ? ` of class ${options.label}` : perClass ? ', a class per column' : '';
      return `${options.n} samples${of} as a ${columns}-column grid`;
    }
    if (model.eventShape.length === 1 && model.eventShape[0] === 2) {
      const reference = options.data ? referencePoints(options.data, 2000) : undefined;
      writePng(path, scatterPlot(samples as tf.Tensor2D, { reference, width: 512, height: 512 }));
      reference?.dispose();
      return `${options.n} samples over ${options.data ? 'the data' : 'no data'} as a scatter plot`;
    }
    throw new Error(`cannot draw samples of shape [${model.eventShape.join(', ')}] as a picture`);
  } finally {
    samples.dispose();
    condition?.dispose();
  }
}

/** How a temperature is named in pictures: `T = 1.0`, `T = 0.8`, `T = 0.75`. */
export function temperatureLabel(t: number): string {
  return `T = ${Number.isInteger(t) ? t.toFixed(1) : String(t)}`;
}

/**
 * Samples of an image model at each temperature, a labelled row per temperature: `n` draws per row from
 * the same seed (so rows differ by the temperature alone; conditional models a class per column).
 */
export function writeTemperaturesPicture(
  model: GenerativeModel,
  path: string,
  options: {
    temperatures: readonly number[];
    n: number;
    seed?: number;
    /** For conditional models: a class per column, or every sample of `label` when it is given. */
    numClasses?: number;
    label?: number;
    range?: [number, number];
  },
): string {
  const imageShape = imageShapeOf(model.eventShape);
  if (!imageShape)
    throw new Error(`cannot draw samples of shape [${model.eventShape.join(', ')}] as rows of images`);
  const { n, numClasses, label } = options;
  const rows = options.temperatures.map((temperature) => {
    const condition =
      numClasses !== undefined
        ? tf.tidy(() =>
            tf.oneHot(
              tf.tensor1d(
                Array.from({ length: n }, (_, i) => label ?? i % numClasses),
                'int32',
              ),
              numClasses,
            ),
          )
        : undefined;
    const samples = model.sample(n, {
      seed: options.seed,
      temperature,
      condition: condition as tf.Tensor2D | undefined,
    });
    const images = tf.reshape(samples, [n, ...imageShape]);
    try {
      return imageGrid(images as tf.Tensor4D, { columns: n, range: options.range ?? [0, 1] });
    } finally {
      tf.dispose([samples, images]);
      condition?.dispose();
    }
  });
  writePng(path, labelledRows(rows, options.temperatures.map(temperatureLabel)));
  return `${n} samples per temperature (${options.temperatures.join(', ')}) from seed ${options.seed ?? 'none'}, a row each`;
}

/**
 * A translation model on `count` test pairs: per row a, G(a), F(G(a)), then b, F(b), G(F(b)) — each
 * domain's image, its translation, and the cycle back.
 */
export function writeTranslationPicture(
  model: GenerativeModel & TranslationModel,
  path: string,
  options: { pairs: Dataset; count: number; range: [number, number] },
): string {
  const count = Math.min(options.count, options.pairs.size);
  const batch = options.pairs.getBatch(Int32Array.from({ length: count }, (_, i) => i));
  try {
    const tiles = tf.tidy(() => {
      const [a, b] = tf.unstack(batch.x, 1);
      const ab = model.translate(a, 'A→B');
      const ba = model.translate(b, 'B→A');
      const rows = [a, ab, model.translate(ab, 'B→A'), b, ba, model.translate(ba, 'A→B')];
      return tf.reshape(tf.stack(rows, 1), [count * rows.length, ...model.domainShape]);
    });
    writePng(path, imageGrid(tiles as tf.Tensor4D, { columns: 6, range: options.range }));
    tiles.dispose();
    return `${count} test pairs: a, G(a), F(G(a)), b, F(b), G(F(b)) per row`;
  } finally {
    for (const t of [batch.x, batch.labels, batch.condition]) t?.dispose();
  }
}

/**
 * A multi-domain translation model (StarGAN) on `count` test images: per row an image, then its
 * translations G(x, k) to every domain k in label order — the row's own domain among them, which should
 * give the image back.
 */
export function writeMultiDomainPicture(
  model: GenerativeModel & MultiDomainTranslationModel,
  path: string,
  options: { data: Dataset; count: number; range: [number, number] },
): string {
  const count = Math.min(options.count, options.data.size);
  const K = model.numDomains;
  const batch = options.data.getBatch(Int32Array.from({ length: count }, (_, i) => i));
  try {
    const tiles = tf.tidy(() => {
      const x = tf.reshape(batch.x, [count, ...model.domainShape]);
      const columns = [x];
      for (let k = 0; k < K; k++) {
        const target = tf.oneHot(tf.fill([count], k, 'int32') as tf.Tensor1D, K);
        columns.push(model.translateTo(x, tf.cast(target, 'float32') as tf.Tensor2D));
      }
      return tf.reshape(tf.stack(columns, 1), [count * (K + 1), ...model.domainShape]);
    });
    writePng(path, imageGrid(tiles as tf.Tensor4D, { columns: K + 1, range: options.range }));
    tiles.dispose();
    return `${count} test images per row: the image, then its translation to each of the ${K} domains`;
  } finally {
    tf.dispose(Object.values(batch));
  }
}

/**
 * A model with a hierarchy of latents on `count` test images: the originals in the first row, then one
 * row per reconstruction, from the coarsest level alone to all levels (VQ-VAE-2: top, then top + bottom),
 * so each row shows the detail its level adds.
 */
export function writeLevelsPicture(
  model: GenerativeModel,
  path: string,
  options: { data: Dataset; count: number; range: [number, number] },
): string {
  if (!hasLevelReconstructions(model)) throw new Error(`${model.name} has no level reconstructions`);
  const imageShape = imageShapeOf(model.eventShape);
  if (!imageShape)
    throw new Error(`cannot draw examples of shape [${model.eventShape.join(', ')}] as images`);
  const count = Math.min(options.count, options.data.size);
  const batch = options.data.getBatch(
    Int32Array.from({ length: count }, (_, i) => i),
    { seed: 0 },
  );
  try {
    const levels = model.levelReconstructions(batch.x);
    const tiles = tf.tidy(() =>
      tf.concat([batch.x, ...levels.map((l) => l.images)].map((t) => tf.reshape(t, [count, ...imageShape]))),
    );
    tf.dispose(levels.map((l) => l.images));
    writePng(path, imageGrid(tiles as tf.Tensor4D, { columns: count, range: options.range }));
    tiles.dispose();
    return `${count} test images per row: originals, then reconstructions from ${levels.map((l) => l.label).join('; ')}`;
  } finally {
    for (const t of [batch.x, batch.labels, batch.condition]) t?.dispose();
  }
}

/** Whether the model is a density over the plane, so its density can be drawn. */
export function isPlanarDensity(model: GenerativeModel): boolean {
  return model.likelihood.kind === 'exact' && model.eventShape.length === 1 && model.eventShape[0] === 2;
}

/** A square area around the points: their 0.5–99.5% range in both axes, padded by 10%, equal scales. */
function squareBounds(points: tf.Tensor2D): { x: Range; y: Range } {
  const xy = points.dataSync();
  const range = (axis: number): Range => {
    const v = Array.from({ length: xy.length / 2 }, (_, i) => xy[2 * i + axis]).sort((a, b) => a - b);
    return [v[Math.floor(0.005 * (v.length - 1))], v[Math.ceil(0.995 * (v.length - 1))]];
  };
  const [x, y] = [range(0), range(1)];
  const half = 0.55 * Math.max(x[1] - x[0], y[1] - y[0], 1e-6);
  const centre = (r: Range) => (r[0] + r[1]) / 2;
  return {
    x: [centre(x) - half, centre(x) + half],
    y: [centre(y) - half, centre(y) + half],
  };
}

/** The data (left) and the model's density p(x) on a 200 × 200 grid over the same square (right). */
export function writeDensityPicture(model: GenerativeModel, path: string, data: Dataset): string {
  if (model.likelihood.kind !== 'exact')
    throw new Error('only models with an exact likelihood have a density to draw');
  const { logProb } = model.likelihood;
  const points = referencePoints(data, 2000);
  const cells = 200;
  try {
    const bounds = squareBounds(points);
    const scatter = scatterPlot(points, {
      bounds,
      width: 400,
      height: 400,
      title: 'data',
      colors: { points: [40, 40, 40] },
    });
    const density = tf.tidy(() => {
      const grid = heatmapGrid(bounds, cells, cells);
      return tf.reshape(tf.exp(logProb(grid)), [cells, cells]);
    });
    const heatmap = densityHeatmap(density, { cellSize: 2 });
    density.dispose();
    writePng(path, sideBySide([scatter, heatmap], { gap: 12 }));
    return `the data beside the learned density on a ${cells} × ${cells} grid`;
  } finally {
    points.dispose();
  }
}

/** The same samples at every stage of a flow, base draws first, data space last: one scatter each. */
export function writeStagesPicture(
  model: GenerativeModel,
  path: string,
  options: { n: number; seed: number },
): string {
  if (!hasSampleStages(model)) throw new Error(`${model.name} does not sample through stages`);
  const stages = model.sampleStages(options.n, { seed: options.seed });
  try {
    const panels = stages.map((stage, i) =>
      scatterPlot(stage.values as tf.Tensor2D, {
        width: 256,
        height: 256,
        radius: 1,
        title: `${i}: ${stage.label}`,
      }),
    );
    writePng(path, sideBySide(panels, { gap: 4 }));
    return `${options.n} samples through ${stages.length - 1} layers`;
  } finally {
    for (const stage of stages) stage.values.dispose();
  }
}

function referencePoints(data: Dataset, max: number): tf.Tensor2D {
  const n = Math.min(max, data.size);
  const batch = data.getBatch(Array.from({ length: n }, (_, i) => i));
  batch.labels?.dispose();
  batch.condition?.dispose();
  return batch.x as tf.Tensor2D;
}

/** Metric name of latent group l's KL (1-based), as models with `LatentGroups` report it. */
const KL_GROUP = /^kl_group_(\d+)$/;

/**
 * The KLs `kl_group_1`, `kl_group_2`, … of a run's test metrics, in group order; [] when there are none
 * or they are not numbered 1 … L without gaps.
 */
export function latentGroupKls(metrics: Readonly<Record<string, number>>): number[] {
  const found = new Map<number, number>();
  for (const [name, value] of Object.entries(metrics)) {
    const match = KL_GROUP.exec(name);
    if (match) found.set(Number(match[1]), value);
  }
  const kls = Array.from({ length: found.size }, (_, i) => found.get(i + 1));
  return kls.every((kl) => kl !== undefined) ? (kls as number[]) : [];
}

/**
 * The bars and labels of kl-groups.png: a bar per group z₁ … z_L, named `z<l>` with the group's shape
 * (height x width x channels) below it when `groups` (the model's, same order) are given.
 */
export function klGroupsChart(
  kls: readonly number[],
  groups?: readonly LatentGroupInfo[],
): { bars: Bar[]; options: BarChartOptions } {
  const labelled = groups !== undefined && groups.length === kls.length;
  return {
    bars: kls.map((value, l) => ({
      label: `z${l + 1}`,
      detail: labelled ? groups[l].shape.join('x') : undefined,
      value,
    })),
    options: {
      title: 'test KL per latent group',
      xLabel: labelled ? 'latent group (shape: height x width x channels)' : 'latent group',
      yLabel: 'KL (nats)',
    },
  };
}

/**
 * The test KL (nats) of every latent group z₁ … z_L as a bar chart (`klGroupsChart`): groups near zero
 * have collapsed to their prior and carry no information.
 */
export function writeKlGroupsPicture(
  path: string,
  kls: readonly number[],
  groups?: readonly LatentGroupInfo[],
): string {
  const { bars, options } = klGroupsChart(kls, groups);
  writePng(path, barChartPng(bars, options));
  return `the test KL of ${kls.length} latent groups as bars`;
}

/** Every finite metric of a JSONL metrics log as a series over steps (evaluations prefixed `eval/`). */
function metricSeries(metricsPath: string): Array<{ name: string; points: Array<[number, number]> }> {
  const series = new Map<string, Array<[number, number]>>();
  for (const record of readMetricsLog(metricsPath)) {
    const prefix = record.kind === 'eval' ? 'eval/' : '';
    for (const [name, value] of Object.entries(record.metrics ?? {})) {
      if (!Number.isFinite(value)) continue;
      const key = prefix + name;
      if (!series.has(key)) series.set(key, []);
      series.get(key)!.push([record.step, value]);
    }
  }
  return [...series.entries()].map(([name, points]) => ({ name, points }));
}

/** Training curves from a JSONL metrics log, one panel per metric on its own axis, as SVG and PNG. */
export function writeCurves(metricsPath: string, svgPath: string, pngPath: string): string[] {
  const list = metricSeries(metricsPath);
  if (list.length === 0) return [];
  writeFileSync(svgPath, smallMultiplesSvg(list, { xLabel: 'step' }));
  writePng(pngPath, smallMultiplesPng(list, { xLabel: 'step' }));
  return list.map((s) => s.name);
}

/**
 * The players' training losses alone (`discriminator/loss`, `generator/loss`, …) as a PNG, for runs with
 * several players, whose other metrics would crowd them out of curves.png. Returns the series drawn
 * (none for a single player).
 */
export function writePlayerLosses(metricsPath: string, pngPath: string): string[] {
  const losses = metricSeries(metricsPath).filter((s) => /^[^/]+\/loss$/.test(s.name));
  if (losses.length < 2) return [];
  writePng(pngPath, linePlotPng(losses, { title: 'player losses', xLabel: 'step' }));
  return losses.map((s) => s.name);
}
