/**
 * `genzoo complete`: fills in the missing pixels of images with a completion model (the autoregressive
 * family) and draws one row per input — the original, the masked input (missing pixels mid-grey), then
 * the completions — into one PNG grid. Inputs are a PNG of the model's image size or test images of the
 * run's own dataset.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type CompletionModel,
  ConfigError,
  checkMemoryEstimate,
  defaultRegistry,
  type GenerativeModel,
  imageShapeOf,
  isCompletionModel,
  isConditionalModel,
  loadModel,
  ResourceError,
  SAMPLE_BYTES_LIMIT,
  tensorBytes,
  tf,
} from '@genzoo/core';
import { imageGrid, readableScale } from '@genzoo/pictures';
import { writePng } from '@genzoo/pictures/node';
import { intFlag, listFlag, numberFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { pixelValues, readImagePng } from '../image-input.js';
import { checkMaskSpec, isMaskName, MASK_NAMES, observedMask, perChannel } from '../masks.js';
import { printJson } from '../output.js';
import { checkpointOf, type DatasetRef, openDataset, prepare, valueRangeOf } from '../setup.js';

const USAGE =
  'genzoo complete <dir> (--input img.png | --index i[,j,…]) --mask <mask> --out file.png [--samples 8]\n' +
  '    [--seed N] [--temperature T] [--class K] [--json]\n' +
  `  --mask: the observed pixels: ${MASK_NAMES.join(', ')} (all but a\n` +
  "    centred square of half the side), or a PNG of the image's size (white = observed); the model draws\n" +
  '    the rest. Completion is an exact conditional sample when the observed pixels come before the missing\n' +
  "    ones in the model's order (raster order, so top-half; MADE with ordering random has its own);\n" +
  '    otherwise each missing pixel conditions only on the pixels before it.\n' +
  "  --input: a PNG of the model's image size (luminance for grayscale models, thresholded at ½ for\n" +
  "    binarized runs); --index: test images of the run's dataset instead; --samples K completions of each;\n" +
  '  --class K: the class of class-conditional models (required for them)';

/**
 * Most completions drawn at once (inputs × --samples): every one runs the network once per pixel, on
 * activations tens of times the image's size (PixelCNN: 64 channels per pixel).
 */
const MAX_COMPLETIONS = 1024;

export const completeCommand: Command = {
  name: 'complete',
  summary: 'fill in the missing part of images with an autoregressive model (original, masked, completions)',
  usage: USAGE,
  options: {
    ...commonOptions,
    input: { type: 'string' },
    index: { type: 'string' },
    mask: { type: 'string' },
    out: { type: 'string' },
    samples: { type: 'string', default: '8' },
    seed: { type: 'string', default: '0' },
    temperature: { type: 'string' },
    class: { type: 'string' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    // Argument mistakes are reported before the slow part (backend, checkpoint, dataset).
    const flags = parseFlags(values);
    await prepare(values.backend);
    const { model, manifest } = await loadModel(checkpointOf(positionals[0]));
    try {
      const { completer, shape } = checkModel(model);
      // The inputs, the masked inputs and the completions as float32 grid tiles, and the grid's pixels.
      const tiles = flags.inputs * (flags.samples + 2);
      checkMemoryEstimate(
        `--samples ${flags.samples}: ${tiles} images of shape [${shape.join(', ')}] in the grid would take`,
        2 * tiles * tensorBytes(shape),
        SAMPLE_BYTES_LIMIT,
        'draw fewer completions',
      );
      const label = classLabel(model, flags.classLabel);
      const trained = (manifest.run as { dataset?: DatasetRef } | undefined)?.dataset;
      const inputs = await readInputs(flags, shape, trained);
      const mask = observedMask(flags.mask, shape[0], shape[1]);
      const drawn = drawCompletions(completer, inputs, perChannel(mask, shape[2]), shape, flags, label);
      writePng(flags.out, drawn.grid);
      const observedFraction = mask.reduce((a, b) => a + b, 0) / mask.length;
      const summary = {
        model: manifest.model.name,
        out: flags.out,
        inputs: inputs.count,
        samples: flags.samples,
        mask: flags.mask,
        seconds: Math.round(drawn.seconds * 1000) / 1000,
        observed_fraction: observedFraction,
        ...inputs.source,
        ...(label !== undefined ? { class: label } : {}),
        width: drawn.grid.width,
        height: drawn.grid.height,
      };
      if (values.json) return printJson(summary);
      console.log(
        `wrote ${flags.out}: ${inputs.count} input(s), each as original, masked and ${flags.samples} ` +
          `completion(s) (${flags.mask}, ${(100 * observedFraction).toFixed(1)}% of pixels observed) ` +
          `in ${summary.seconds}s`,
      );
    } finally {
      model.dispose();
    }
  },
};

/** The command line, parsed and checked. */
interface CompleteFlags {
  /** Absolute path of the PNG written. */
  out: string;
  input?: string;
  indices?: number[];
  /** A mask name, or the absolute path of a mask PNG. */
  mask: string;
  /** Images completed: one --input, or the --index list. */
  inputs: number;
  samples: number;
  seed: number;
  temperature?: number;
  classLabel?: number;
}

function parseFlags(values: Record<string, unknown>): CompleteFlags {
  if (!values.out) throw new ConfigError('--out file.png is required');
  if ((values.input === undefined) === (values.index === undefined)) {
    throw new ConfigError(
      values.input === undefined
        ? "give the images to complete: --input img.png, or --index i[,j,…] for test images of the run's dataset"
        : 'give either --input or --index, not both',
    );
  }
  if (values.mask === undefined) {
    throw new ConfigError(`--mask is required: one of ${MASK_NAMES.join(', ')}, or a mask .png`);
  }
  checkMaskSpec(String(values.mask));
  const indices = listFlag('index', values.index);
  const inputs = indices?.length ?? 1;
  const samples = intFlag('samples', values.samples)!;
  if (inputs * samples > MAX_COMPLETIONS) {
    throw new ResourceError(
      `--samples ${samples} for ${inputs} input(s) asks for ${inputs * samples} completions; complete ` +
        `draws at most ${MAX_COMPLETIONS} at once`,
    );
  }
  return {
    out: resolve(String(values.out)),
    input: values.input as string | undefined,
    indices,
    mask: isMaskName(String(values.mask)) ? String(values.mask) : resolve(String(values.mask)),
    inputs,
    samples,
    seed: intFlag('seed', values.seed, { min: 0 })!,
    temperature: numberFlag('temperature', values.temperature),
    classLabel: intFlag('class', values.class, { min: 0 }),
  };
}

type Completer = GenerativeModel & CompletionModel;

/** The model can complete, and completes images: the model as a completer, and [height, width, channels]. */
function checkModel(model: GenerativeModel): { completer: Completer; shape: [number, number, number] } {
  if (!isCompletionModel(model)) {
    const completing = defaultRegistry
      .listModels()
      .filter((m) => m.family === 'autoregressive')
      .map((m) => m.name);
    throw new ConfigError(
      `model "${model.name}" cannot complete images: only autoregressive models ` +
        `(${completing.length > 0 ? completing.join(', ') : '@genzoo/autoregressive'}) implement complete`,
    );
  }
  const shape = imageShapeOf(model.eventShape);
  if (!shape) {
    throw new ConfigError(
      `complete draws images; model "${model.name}" has examples of shape [${model.eventShape.join(', ')}]`,
    );
  }
  return { completer: model, shape };
}

/** `--class`, checked like `sample`'s, but required for conditional models (a completion needs a class). */
function classLabel(model: GenerativeModel, label: number | undefined): number | undefined {
  if (!isConditionalModel(model)) {
    if (label !== undefined) throw new ConfigError(`--class: model "${model.name}" is not class-conditional`);
    return undefined;
  }
  const k = model.numClasses;
  if (label === undefined) {
    throw new ConfigError(
      `--class K is required: model "${model.name}" is class-conditional (classes 0 … ${k - 1})`,
    );
  }
  if (label >= k) throw new ConfigError(`--class must be below ${k} (the model's classes), got ${label}`);
  return label;
}

interface Inputs {
  /** The images, [count, h, w, c] row-major, in the data's value range. */
  values: Float32Array;
  count: number;
  /** What the summary says about where they came from. */
  source: { input: string } | { indices: number[]; dataset: string; split: 'test' };
  /** The data's value range (the grid's black and white). */
  range: [number, number];
}

/**
 * The images to complete, as the model saw its data: a PNG's values are mapped to the run's value range
 * and, when the run's data was binarized, thresholded at ½ (the model has only ever seen 0 and 1).
 */
async function readInputs(
  flags: CompleteFlags,
  [h, w, c]: [number, number, number],
  trained: DatasetRef | undefined,
): Promise<Inputs> {
  const options = trained?.options ?? {};
  const binarized = options.binarize !== undefined && options.binarize !== 'none';
  const range = valueRangeOf(options);
  if (flags.input !== undefined) {
    const pixels = pixelValues(readImagePng(flags.input, h, w, '--input'), c);
    const [lo, hi] = range;
    const values = pixels.map((v) => (binarized ? (v >= 0.5 ? 1 : 0) : lo + v * (hi - lo)));
    return { values, count: 1, source: { input: resolve(flags.input) }, range };
  }
  if (!trained?.name) {
    throw new ConfigError(
      "--index needs the run's dataset, and the checkpoint names none: use --input img.png",
    );
  }
  const data = await openDataset(trained);
  const indices = flags.indices!;
  for (const i of indices) {
    if (i >= data.test.size) {
      throw new ConfigError(`--index ${i}: the test split of ${trained.name} has ${data.test.size} examples`);
    }
  }
  const batch = data.test.getBatch(indices, { seed: flags.seed });
  try {
    const values = Float32Array.from(batch.x.dataSync());
    return {
      values,
      count: indices.length,
      source: { indices, dataset: trained.name, split: 'test' },
      range,
    };
  } finally {
    for (const t of [batch.x, batch.labels, batch.condition]) t?.dispose();
  }
}

/**
 * Draws `samples` completions of every input in one `complete` call and lays out the grid: a row per
 * input of the original, the masked input and its completions.
 */
function drawCompletions(
  model: Completer,
  inputs: Inputs,
  mask: Float32Array,
  shape: [number, number, number],
  flags: CompleteFlags,
  label: number | undefined,
) {
  const k = flags.samples;
  const n = inputs.count;
  const [lo, hi] = inputs.range;
  const x = tf.tensor(inputs.values, [n, ...shape]);
  const observed = tf.tensor(mask, shape);
  const tensors: Array<tf.Tensor | undefined> = [x, observed];
  try {
    const copies = tf.tensor1d(
      Array.from({ length: n * k }, (_, i) => Math.floor(i / k)),
      'int32',
    );
    const repeated = tf.reshape(tf.gather(x, copies), [n * k, ...model.eventShape]);
    const condition =
      label !== undefined && isConditionalModel(model)
        ? tf.tidy(() => tf.oneHot(tf.fill([n * k], label, 'int32') as tf.Tensor1D, model.numClasses))
        : undefined;
    tensors.push(copies, repeated, condition);
    const start = performance.now();
    const completed = model.complete(repeated, tf.reshape(observed, [...model.eventShape]), {
      seed: flags.seed,
      temperature: flags.temperature,
      condition: condition as tf.Tensor2D | undefined,
    });
    tensors.push(completed);
    completed.dataSync();
    const seconds = (performance.now() - start) / 1000;
    const tiles = tf.tidy(() => {
      const original = tf.reshape(x, [n, 1, ...shape]);
      // Missing pixels are shown as the grey halfway between the data's black and white.
      const given = tf.reshape(observed, [1, 1, ...shape]);
      const masked = tf.add(tf.mul(original, given), tf.mul((lo + hi) / 2, tf.sub(1, given)));
      const rows = tf.concat([original, masked, tf.reshape(completed, [n, k, ...shape])], 1);
      return tf.reshape(rows, [n * (k + 2), ...shape]);
    });
    tensors.push(tiles);
    // Enlarged so that small images (28×28 digits) are readable on a screen.
    const scale = readableScale(shape[0], shape[1]);
    return { grid: imageGrid(tiles, { columns: k + 2, range: [lo, hi], scale }), seconds };
  } finally {
    tf.dispose(tensors.filter((t) => t !== undefined));
  }
}
