/**
 * `genzoo explore`: latent-space pictures of a trained latent-variable model (the VAE family, PPCA) — the
 * 2-D manifold grid, per-dimension traversals, interpolation and latent arithmetic from core's latent
 * module, on examples of the dataset the model was trained on.
 */
import { resolve } from 'node:path';
import {
  ConfigError,
  checkMemoryEstimate,
  type Dataset,
  imageShapeOf,
  isConditionalModel,
  isLatentModel,
  loadModel,
  SAMPLE_BYTES_LIMIT,
  tensorBytes,
  tf,
} from '@genzoo/core';
import {
  type ExplorableModel,
  type InterpolationMethod,
  interpolate,
  type LatentPicture,
  latentArithmetic,
  latentManifoldGrid,
  latentTraversals,
  renderLatentPicture,
} from '@genzoo/pictures';
import { writePng } from '@genzoo/pictures/node';
import { intFlag, listFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { printJson } from '../output.js';
import { checkpointOf, openDataset, prepare, runDatasetRef } from '../setup.js';

const MODES = ['grid', 'traverse', 'interpolate', 'arithmetic'] as const;
type Mode = (typeof MODES)[number];

/** Which mode each mode-specific flag belongs to, so a flag that would be ignored is an error instead. */
const FLAG_MODES: Record<string, readonly Mode[]> = {
  size: ['grid'],
  dims: ['grid', 'traverse'],
  steps: ['traverse', 'interpolate'],
  order: ['grid', 'traverse'],
  method: ['interpolate'],
  index: ['traverse', 'interpolate', 'arithmetic'],
};

/** How many examples each mode takes from the dataset, and which by default. */
const DEFAULT_INDICES: Record<Mode, number[]> = {
  grid: [],
  traverse: [0],
  interpolate: [0, 1],
  arithmetic: [0, 1, 2],
};

/** Examples whose average KL ranks the dimensions for `--order kl` (`--grid`, `--traverse`). */
const KL_REFERENCE_SIZE = 500;

const USAGE =
  'genzoo explore <dir> (--grid | --traverse | --interpolate | --arithmetic) --out file.png [--size N] ' +
  '[--steps N] [--dims i,j] [--order kl|index] [--method linear|spherical] [--index a,b[,c]] [--class K] ' +
  '[--dataset <name>] [--split test|train|validation] [--seed N] [--json]';

export const exploreCommand: Command = {
  name: 'explore',
  summary:
    'latent-space pictures of a trained latent model: manifold grid, traversals, interpolation, arithmetic',
  usage: USAGE,
  options: {
    ...commonOptions,
    grid: { type: 'boolean', default: false },
    traverse: { type: 'boolean', default: false },
    interpolate: { type: 'boolean', default: false },
    arithmetic: { type: 'boolean', default: false },
    out: { type: 'string' },
    size: { type: 'string' },
    steps: { type: 'string' },
    dims: { type: 'string' },
    order: { type: 'string' },
    method: { type: 'string' },
    index: { type: 'string' },
    class: { type: 'string' },
    dataset: { type: 'string' },
    split: { type: 'string', default: 'test' },
    seed: { type: 'string', default: '0' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    // Argument mistakes are reported before the slow part (backend, checkpoint, dataset).
    const flags = parseFlags(values);
    await prepare(values.backend);
    const { model, manifest } = await loadModel(checkpointOf(positionals[0]));
    try {
      if (!isLatentModel(model)) {
        throw new ConfigError(
          `model "${model.name}" has no latent space to explore (it has no encode/decode); explore works with latent models such as ppca and the VAE family`,
        );
      }
      if (!imageShapeOf(model.eventShape)) {
        throw new ConfigError(
          `explore draws images; model "${model.name}" has examples of shape [${model.eventShape.join(', ')}]`,
        );
      }
      checkPictureSize(model, flags);
      const ref = runDatasetRef(manifest.run, values.dataset as string | undefined);
      const { name } = ref;
      const data = await openDataset(ref);
      const dataset = data[flags.split];
      if (!dataset)
        throw new ConfigError(`--split ${flags.split}: dataset ${name} has no ${flags.split} split`);
      for (const i of flags.indices) {
        if (i >= dataset.size) {
          throw new ConfigError(
            `--index ${i}: the ${flags.split} split of ${name} has ${dataset.size} examples`,
          );
        }
      }

      const result = draw(model, dataset, flags);
      const range: [number, number] = dataset.values.kind === 'continuous' ? dataset.values.range : [0, 1];
      let image: ReturnType<typeof renderLatentPicture>;
      try {
        image = renderLatentPicture(result.picture, { range });
      } finally {
        result.picture.images.dispose();
      }
      writePng(flags.out, image);
      const summary = {
        model: manifest.model.name,
        mode: flags.mode,
        out: flags.out,
        width: image.width,
        height: image.height,
        rows: result.picture.rows,
        columns: result.picture.columns,
        dataset: name,
        split: flags.split,
        ...(flags.indices.length > 0 ? { indices: flags.indices } : {}),
        ...result.details,
      };
      if (values.json) return printJson(summary);
      console.log(`wrote ${flags.out}: ${result.description} (${image.width}×${image.height} px)`);
    } finally {
      model.dispose();
    }
  },
};

/** The command line, parsed and checked. */
interface ExploreFlags {
  mode: Mode;
  /** Absolute path of the PNG. */
  out: string;
  /** Examples of the split the picture starts from (none for the grid). */
  indices: number[];
  split: 'test' | 'train' | 'validation';
  seed: number;
  size?: number;
  steps?: number;
  dims?: number[];
  order: 'kl' | 'index';
  method: InterpolationMethod;
  /** `--class`, checked against the model once it is loaded. */
  classLabel?: number;
}

function parseFlags(values: Record<string, unknown>): ExploreFlags {
  const mode = chooseMode(values);
  if (!values.out) throw new ConfigError('--out file.png is required');
  const expected = DEFAULT_INDICES[mode].length;
  const indices = listFlag('index', values.index) ?? DEFAULT_INDICES[mode];
  if (indices.length !== expected) {
    throw new ConfigError(
      `--index for --${mode} takes ${expected} example ${expected === 1 ? 'index' : 'indices'}, got ${indices.length}`,
    );
  }
  const dims = listFlag('dims', values.dims);
  if (mode === 'grid' && dims && dims.length !== 2) {
    throw new ConfigError(`--dims for --grid takes 2 dimensions i,j, got ${dims.length}`);
  }
  return {
    mode,
    out: resolve(String(values.out)),
    indices,
    split: oneOf('split', values.split, ['test', 'train', 'validation'] as const),
    seed: intFlag('seed', values.seed, { min: 0 })!,
    size: intFlag('size', values.size, { min: 2 }),
    steps: intFlag('steps', values.steps, { min: 2 }),
    dims,
    order: oneOf('order', values.order ?? 'kl', ['kl', 'index'] as const),
    method: oneOf('method', values.method ?? 'linear', ['linear', 'spherical'] as const),
    classLabel: intFlag('class', values.class, { min: 0 }),
  };
}

/**
 * Refuses a --size or --steps whose decoded images (float32, and as many bytes again in the picture's
 * pixels) would not fit the budget; the modes' default counts are small.
 */
function checkPictureSize(model: ExplorableModel, { mode, size, steps, dims }: ExploreFlags): void {
  let request: { flag: string; images: number } | undefined;
  // --size is grid's, --steps traverse's (a row per dimension) and interpolate's (between two ends).
  if (size !== undefined) request = { flag: `--size ${size}`, images: size * size };
  else if (steps !== undefined && mode === 'traverse')
    request = { flag: `--steps ${steps}`, images: steps * (dims?.length ?? model.latentDim) };
  else if (steps !== undefined) request = { flag: `--steps ${steps}`, images: steps + 2 };
  if (!request) return;
  checkMemoryEstimate(
    `${request.flag}: ${request.images} decoded images of shape [${model.eventShape.join(', ')}] would take`,
    2 * request.images * tensorBytes(model.eventShape),
    SAMPLE_BYTES_LIMIT,
    'ask for a smaller picture',
  );
}

function chooseMode(values: Record<string, unknown>): Mode {
  const chosen = MODES.filter((m) => values[m] === true);
  if (chosen.length !== 1) {
    throw new ConfigError(
      chosen.length === 0
        ? 'choose what to draw: one of --grid, --traverse, --interpolate, --arithmetic'
        : `choose one picture at a time, got ${chosen.map((m) => `--${m}`).join(' and ')}`,
    );
  }
  const mode = chosen[0];
  for (const [flag, modes] of Object.entries(FLAG_MODES)) {
    if (values[flag] !== undefined && !modes.includes(mode)) {
      throw new ConfigError(
        `--${flag} is not used by --${mode} (only by ${modes.map((m) => `--${m}`).join(', ')})`,
      );
    }
  }
  return mode;
}

function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new ConfigError(`--${name} must be ${choices.join(' or ')}, got "${value}"`);
  }
  return value as T;
}

interface Drawn {
  picture: LatentPicture;
  description: string;
  details: Record<string, unknown>;
}

/** What every mode draws from: the model, its data, the chosen examples and the flags. */
interface DrawContext {
  model: ExplorableModel;
  dataset: Dataset;
  flags: ExploreFlags;
  /** The chosen examples, each [1, ...eventShape]. */
  examples: tf.Tensor[];
  /** One-hot [1, numClasses] for conditional models. */
  condition?: tf.Tensor2D;
  /** Reported with the picture (the class a conditional model drew with). */
  conditionDetails: Record<string, unknown>;
}

/** The first KL_REFERENCE_SIZE examples of the split, whose average KL ranks the latent dimensions. */
function klReference(dataset: Dataset, flags: ExploreFlags) {
  return dataset.getBatch(
    Array.from({ length: Math.min(KL_REFERENCE_SIZE, dataset.size) }, (_, i) => i),
    { seed: flags.seed },
  );
}

const DRAW: Record<Mode, (context: DrawContext) => Drawn> = {
  grid({ model, dataset, flags, condition, conditionDetails }) {
    // Without --dims, --order kl (the default) spans the two most informative dimensions.
    const reference =
      !flags.dims && flags.order === 'kl' && model.latentDim > 2 ? klReference(dataset, flags) : undefined;
    try {
      const picture = latentManifoldGrid(model, {
        size: flags.size,
        dims: flags.dims as [number, number] | undefined,
        reference: reference?.x,
        condition,
      });
      const { kl } = picture;
      return {
        picture,
        description:
          `${picture.rows}×${picture.columns} latent manifold grid over dimensions ${picture.dims.join(' and ')}` +
          (kl ? ' (the two most informative, highest KL)' : ''),
        details: {
          dims: picture.dims,
          ...(kl ? { kl: picture.dims.map((d) => Number(kl[d].toFixed(4))), order: 'kl' } : {}),
          values: picture.values,
          ...conditionDetails,
        },
      };
    } finally {
      if (reference) disposeAll([reference.x, reference.labels, reference.condition]);
    }
  },

  traverse({ model, dataset, flags, examples, condition, conditionDetails }) {
    const { order } = flags;
    const reference = order === 'kl' ? klReference(dataset, flags) : undefined;
    try {
      const picture = latentTraversals(model, examples[0], {
        dims: flags.dims,
        steps: flags.steps,
        order,
        reference: reference?.x,
        condition,
      });
      const [lo, hi] = [picture.values[0], picture.values[picture.values.length - 1]];
      return {
        picture,
        description:
          `traversals of ${picture.rows} latent dimension(s) [${picture.dims.join(', ')}] over [${lo}, ${hi}], ` +
          (order === 'kl' ? 'most informative (highest KL) first' : 'in index order'),
        details: {
          dims: picture.dims,
          kl: picture.dims.map((d) => Number(picture.kl[d].toFixed(4))),
          values: picture.values,
          order,
          ...conditionDetails,
        },
      };
    } finally {
      if (reference) disposeAll([reference.x, reference.labels, reference.condition]);
    }
  },

  interpolate({ model, flags, examples, condition, conditionDetails }) {
    const { method, indices } = flags;
    const picture = interpolate(model, examples[0], examples[1], { steps: flags.steps, method, condition });
    return {
      picture,
      description: `${method} interpolation from example ${indices[0]} to ${indices[1]} in ${picture.t.length} steps`,
      details: { method, steps: picture.t.length, ...conditionDetails },
    };
  },

  arithmetic({ model, flags: { indices }, examples, condition, conditionDetails }) {
    const picture = latentArithmetic(model, examples[0], examples[1], examples[2], { condition });
    return {
      picture,
      description: `latent arithmetic: examples ${indices[0]} − ${indices[1]} + ${indices[2]}, then the decoded result`,
      details: { ...conditionDetails },
    };
  },
};

function draw(model: ExplorableModel, dataset: Dataset, flags: ExploreFlags): Drawn {
  const { indices } = flags;
  const batch = indices.length > 0 ? dataset.getBatch(indices, { seed: flags.seed }) : undefined;
  const condition = classCondition(model, flags.classLabel, batch?.labels);
  const examples = batch ? tf.split(batch.x, indices.length) : [];
  try {
    return DRAW[flags.mode]({
      model,
      dataset,
      flags,
      examples,
      condition: condition?.tensor,
      conditionDetails: condition ? { class: condition.label } : {},
    });
  } finally {
    disposeAll([...examples, condition?.tensor, batch?.x, batch?.labels, batch?.condition]);
  }
}

function disposeAll(tensors: Array<tf.Tensor | undefined>): void {
  for (const t of tensors) t?.dispose();
}

/**
 * The class a conditional model draws with: `--class K`, or else the label of the first chosen example
 * (class 0 for the grid, which has none).
 */
function classCondition(
  model: ExplorableModel,
  classLabel: number | undefined,
  labels: tf.Tensor1D | undefined,
): { tensor: tf.Tensor2D; label: number } | undefined {
  if (!isConditionalModel(model)) {
    if (classLabel !== undefined) {
      throw new ConfigError(`--class: model "${model.name}" is not class-conditional`);
    }
    return undefined;
  }
  const k = model.numClasses;
  if (classLabel !== undefined && classLabel >= k) {
    throw new ConfigError(
      `--class must be below ${k} (model "${model.name}" has ${k} classes), got ${classLabel}`,
    );
  }
  const label = classLabel ?? (labels ? labels.dataSync()[0] : 0);
  const tensor = tf.tidy(() => tf.oneHot(tf.tensor1d([label], 'int32'), k) as tf.Tensor2D);
  return { tensor, label };
}
