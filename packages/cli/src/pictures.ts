/**
 * The pictures a run writes: a sample grid for image data, a scatter of samples over the data for 2-D
 * data, and training curves from the metrics log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  type Dataset,
  type GenerativeModel,
  imageGrid,
  imageShapeOf,
  linePlotPng,
  linePlotSvg,
  type SampleOptions,
  scatterPlot,
  tf,
  writePng,
} from '@genzoo/core';

// imageShapeOf lives in core (the latent pictures need it too); re-exported for the CLI's own API.
export { imageShapeOf };

export interface SamplePictureOptions extends Omit<SampleOptions, 'condition'> {
  n: number;
  /** Data shown beside 2-D samples. */
  data?: Dataset;
  /** For conditional models: one column per class, or all samples of `label` when it is given. */
  numClasses?: number;
  /** For conditional models: the class every sample is drawn from. */
  label?: number;
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
      writePng(path, imageGrid(images as tf.Tensor4D, { columns, range: [0, 1] }));
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

function referencePoints(data: Dataset, max: number): tf.Tensor2D {
  const n = Math.min(max, data.size);
  const batch = data.getBatch(Array.from({ length: n }, (_, i) => i));
  batch.labels?.dispose();
  batch.condition?.dispose();
  return batch.x as tf.Tensor2D;
}

/** Training curves from a JSONL metrics log (one series per metric), as SVG and PNG. */
export function writeCurves(metricsPath: string, svgPath: string, pngPath: string): string[] {
  const series = new Map<string, Array<[number, number]>>();
  for (const line of readFileSync(metricsPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { step: number; kind?: string; metrics?: Record<string, number> };
    const prefix = record.kind === 'eval' ? 'eval/' : '';
    for (const [name, value] of Object.entries(record.metrics ?? {})) {
      if (!Number.isFinite(value)) continue;
      const key = prefix + name;
      if (!series.has(key)) series.set(key, []);
      series.get(key)!.push([record.step, value]);
    }
  }
  const list = [...series.entries()].map(([name, points]) => ({ name, points }));
  if (list.length === 0) return [];
  writeFileSync(svgPath, linePlotSvg(list, { title: 'training curves', xLabel: 'step' }));
  writePng(pngPath, linePlotPng(list, { title: 'training curves', xLabel: 'step' }));
  return list.map((s) => s.name);
}
