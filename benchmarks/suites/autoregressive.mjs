// Suite `autoregressive`, beside the @genzoo/autoregressive plugin's `reproduce` recipes (which the
// harness adds itself): the quality target — at equal network and epochs, genzoo's exact test −log p(x)
// must be as good as a carefully written PyTorch implementation of the same recipe (within 1 nat).
//
// Every Fashion-MNIST recipe of the suite gets an entry `pytorch/<model>/<recipe>` that runs
// benchmarks/reference/pytorch_autoregressive.py with flags built from the recipe object itself: the
// model's config as its schema completes it (every key a flag, `residualBlocks` → `--residual-blocks`,
// the head's keys flattened, so a config key the script does not know fails the entry instead of being
// ignored), the batch size, learning rate and epochs of the recipe (its quick epochs under --quick), and
// its data protocol. The reference is scored on genzoo's own test split (the same static binarization,
// or the same bytes) written by benchmarks/reference/pytorch.mjs. PyTorch runs on one thread, as
// genzoo's wasm backend does in Node, so examples/s and sampling images/s compare per core.
//
// The mnist-10k image models that compare likelihood against sampling speed (COMPARED: PixelCNN, Gated
// PixelCNN and the multiscale PixelCNN at the same data, width, depth and epochs) also run at SEEDS,
// when asked (`GENZOO_BENCH_ALL=1 pnpm bench --suite autoregressive --quick --only seed-`), as
// `seed-<s>/<model>/<recipe>`; `summarize` gives each model's mean ± sd over its recipe row (seed 0) and
// those seeds.
import { autoregressivePlugin } from '@genzoo/autoregressive';
import { listDatasets } from '@genzoo/datasets/node';
import { recipeEntry } from '../harness/recipes.mjs';
import { mean, meanAndSd, sd } from '../harness/statistics.mjs';
import { flagValue, kebab, unsupportedOptimization } from '../reference/flags.mjs';

export const columns = ['epochs', 'sampling_images_per_second', 'seed'];

/** The recipes of the likelihood-against-sampling-speed comparison (packages/autoregressive/README.md). */
export const COMPARED = [
  'pixelcnn/mnist-10k',
  'gated-pixelcnn/mnist-10k-unconditional',
  'multiscale-pixelcnn/mnist-10k',
];
/** Seeds of COMPARED beside the recipe rows' seed 0. */
export const SEEDS = [1, 2];
/** The metric summarized over seeds (the speeds are each row's own, as the machine's load allowed). */
const SUMMARIZED = ['nll_nats'];

export const SUITE = 'autoregressive';
/** The datasets the reference script reads (idx files). */
const DATASETS = new Set(['fashion-mnist']);

/** The script flags of a model config: every key as a flag, the head's keys flattened (`kind` → `head`). */
export function configFlags(config) {
  const flags = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'head') {
      for (const [headKey, headValue] of Object.entries(value)) {
        flags[headKey === 'kind' ? 'head' : kebab(headKey)] = flagValue(headValue);
      }
    } else {
      flags[kebab(key)] = flagValue(value);
    }
  }
  return flags;
}

/** What of a recipe's training the script does not implement, or undefined when it implements it all. */
function unsupportedTraining(train) {
  if (train.steps !== undefined) return 'a step budget (the reference trains for epochs)';
  return unsupportedOptimization(train);
}

/** The script's `--data` for the recipe's dataset options: binarized (dynamic) or the 8-bit bytes. */
function dataProtocol(options) {
  const { binarize = 'none', dequantize = false, ...rest } = options;
  const other = Object.keys(rest).filter((k) => k !== 'flatten');
  if (dequantize || other.length > 0) return undefined;
  if (binarize === 'dynamic') return 'binarized';
  if (binarize === 'none') return '8bit';
  return undefined;
}

/** The reference entry of one genzoo recipe of model `definition`. */
export function referenceEntry(definition, recipe, { quick, dataDir }) {
  const id = `pytorch/${definition.name}/${recipe.name}`;
  const whenAsked = Boolean(recipe.onlyWhenAsked);
  const train = { ...recipe.train, ...(quick ? recipe.quick?.train : {}) };
  const datasetOptions = { ...recipe.datasetOptions, ...(quick ? recipe.quick?.datasetOptions : {}) };
  const evaluation = { ...recipe.evaluation, ...(quick ? recipe.quick?.evaluation : {}) };
  const data = dataProtocol(datasetOptions);
  const unsupported =
    unsupportedTraining(train) ??
    (data ? undefined : `dataset options ${JSON.stringify(datasetOptions)}`) ??
    (evaluation.split && evaluation.split !== 'test' ? `evaluation on ${evaluation.split}` : undefined);
  if (unsupported) return { id, whenAsked, skip: `the PyTorch reference does not implement ${unsupported}` };
  const config = definition.configSchema.parse(recipe.config);
  return {
    id,
    whenAsked,
    script: 'reference/pytorch.mjs',
    args: {
      script: 'pytorch_autoregressive.py',
      testSet: { dataset: recipe.dataset, options: datasetOptions, labels: Boolean(config.conditional) },
      args: {
        recipe: `${definition.name}/${recipe.name}`,
        ...configFlags(config),
        data,
        metric: recipe.metric,
        epochs: train.epochs,
        batch: train.batchSize ?? 128,
        lr: train.optimizer?.learningRate ?? 1e-3,
        threads: 1,
        ...(evaluation.limit ? { 'eval-limit': evaluation.limit } : {}),
        ...(dataDir ? { 'data-dir': dataDir } : {}),
      },
    },
    // The script prints one results row.
    toRows: (row) => [row],
  };
}

/** `seed-<s>/<model>/<recipe>` for every recipe of COMPARED and seed of SEEDS, run when asked. */
function seedEntries(quick) {
  return COMPARED.flatMap((id) => {
    const [model, name] = id.split('/');
    const definition = autoregressivePlugin.models.find((d) => d.name === model);
    const recipe = definition?.reproduce.find((r) => r.name === name);
    if (!recipe) throw new Error(`${SUITE}: @genzoo/autoregressive has no recipe ${id}`);
    return SEEDS.map((seed) => ({
      ...recipeEntry(definition, recipe, {
        quick,
        columns,
        id: `seed-${seed}/${id}`,
        out: `benchmarks/.work/${SUITE}/seed-${seed}/${id}`,
        seed,
      }),
      whenAsked: true,
    }));
  });
}

/** Per recipe of COMPARED, each metric's mean ± sample sd over the recipe row (seed 0) and its seed rows. */
export function summarize(rows) {
  const out = [];
  for (const id of COMPARED) {
    const measured = rows.filter((r) => r.id === id || (r.id.endsWith(`/${id}`) && /^seed-\d+\//.test(r.id)));
    if (measured.length < 2) continue;
    const row = { recipe: id, seeds: measured.map((r) => r.seed ?? 0).join(', ') };
    for (const metric of SUMMARIZED) {
      const values = measured.map((r) => r[metric]).filter((v) => typeof v === 'number');
      if (values.length === 0) continue;
      row[`${metric}_mean`] = mean(values);
      row[`${metric}_sd`] = sd(values);
      row[metric] = meanAndSd(values);
    }
    out.push(row);
  }
  if (out.length === 0) return undefined;
  return {
    title: 'mnist-10k image models across seeds (mean ± sample sd)',
    columns: ['recipe', 'seeds', ...SUMMARIZED],
    rows: out,
  };
}

export function entries({ quick }) {
  const sources = new Map(listDatasets().map((d) => [d.name, d.source]));
  const out = [];
  for (const definition of autoregressivePlugin.models) {
    for (const recipe of definition.reproduce) {
      if (recipe.suite !== SUITE || !DATASETS.has(recipe.dataset)) continue;
      const source = sources.get(recipe.dataset);
      if (!source?.found) {
        out.push({
          id: `pytorch/${definition.name}/${recipe.name}`,
          whenAsked: Boolean(recipe.onlyWhenAsked),
          skip: `${recipe.dataset} is not on this machine (${source?.howToGet ?? 'see `genzoo datasets`'})`,
        });
        continue;
      }
      out.push(referenceEntry(definition, recipe, { quick, dataDir: source.where }));
    }
  }
  return [...out, ...seedEntries(quick)];
}
