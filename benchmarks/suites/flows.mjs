// Suite `flows`, beside the @genzoo/flows plugin's `reproduce` recipes (which the harness adds itself): the
// quality target — at equal network and steps, genzoo's exact test −log p(x) must be as good as a
// carefully written PyTorch implementation of the same recipe (within 0.02 nats on the 2-D sets, within
// 0.02 bits/dim on images).
//
// Every recipe of the suite gets an entry `pytorch/<model>/<recipe>` that runs
// benchmarks/reference/pytorch_flows.py with flags built from the recipe object itself: the model's config
// as its schema completes it (every key a flag, `couplingsPerScale` → `--couplings-per-scale`, so a config
// key the script does not know fails the entry instead of being ignored), the recipe's step budget (its
// quick steps under --quick) as `--train-steps` (Glow's config has a `steps` key of its own), batch size,
// learning rate and seed, and its data protocol. The reference trains on genzoo's own training points
// (2-D sets) and is scored on genzoo's own test split as genzoo's evaluation reads it (for dequantized
// images: the same fixed noise draw), both written by benchmarks/reference/pytorch.mjs. PyTorch runs on one
// thread, as genzoo's wasm backend does in Node, so examples/s and steps/s compare per core.
import { listDatasets } from '@genzoo/datasets/node';
import { flowsPlugin } from '@genzoo/flows';
import { flagValue, kebab, unsupportedOptimization } from '../reference/flags.mjs';

export const columns = ['steps_per_second'];

export const SUITE = 'flows';
/** The 2-D sets: their points reach the script as float32 files. */
const TOY = new Set(['moons', '8gaussians', 'checkerboard']);
/** The image sets the script reads (idx files); their dequantization noise it draws itself. */
const IMAGES = new Set(['fashion-mnist']);

/** The script flags of a model config: every key as a flag. */
export function configFlags(config) {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [kebab(key), flagValue(value)]));
}

/** What of a recipe's training the script does not implement, or undefined when it implements it all. */
function unsupportedTraining(train) {
  if (train.steps === undefined) return 'an epoch budget (the reference trains for steps)';
  return unsupportedOptimization(train);
}

/**
 * The script's `--data` for the recipe's dataset and options: `continuous` (a 2-D set, any of its options:
 * genzoo's training and test splits are handed over as they come out) or `dequantized` (8-bit images,
 * dequantized, nothing else).
 */
function dataProtocol(dataset, options) {
  if (TOY.has(dataset)) return 'continuous';
  if (!IMAGES.has(dataset)) return undefined;
  const { dequantize = false, ...rest } = options;
  return dequantize && Object.keys(rest).length === 0 ? 'dequantized' : undefined;
}

/** The reference entry of one genzoo recipe of model `definition`. */
export function referenceEntry(definition, recipe, { quick, dataDir }) {
  const id = `pytorch/${definition.name}/${recipe.name}`;
  const whenAsked = Boolean(recipe.onlyWhenAsked);
  const train = { ...recipe.train, ...(quick ? recipe.quick?.train : {}) };
  const datasetOptions = { ...recipe.datasetOptions, ...(quick ? recipe.quick?.datasetOptions : {}) };
  const evaluation = { ...recipe.evaluation, ...(quick ? recipe.quick?.evaluation : {}) };
  const data = dataProtocol(recipe.dataset, datasetOptions);
  const unsupported =
    unsupportedTraining(train) ??
    (TOY.has(recipe.dataset) || IMAGES.has(recipe.dataset)
      ? undefined
      : `dataset ${recipe.dataset} (it reads the 2-D sets and Fashion-MNIST)`) ??
    (data ? undefined : `dataset options ${JSON.stringify(datasetOptions)}`) ??
    (evaluation.split && evaluation.split !== 'test' ? `evaluation on ${evaluation.split}` : undefined);
  if (unsupported) return { id, whenAsked, skip: `the PyTorch reference does not implement ${unsupported}` };
  const config = definition.configSchema.parse(recipe.config);
  const seed = train.seed ?? 0;
  return {
    id,
    whenAsked,
    script: 'reference/pytorch.mjs',
    args: {
      script: 'pytorch_flows.py',
      // genzoo evaluates with the run seed (it seeds the test split's dequantization noise).
      testSet: {
        dataset: recipe.dataset,
        options: datasetOptions,
        format: 'f32',
        seed,
        train: data === 'continuous',
      },
      args: {
        recipe: `${definition.name}/${recipe.name}`,
        dataset: recipe.dataset,
        ...configFlags(config),
        data,
        metric: recipe.metric,
        'train-steps': train.steps,
        batch: train.batchSize ?? 128,
        lr: train.optimizer?.learningRate ?? 1e-3,
        seed,
        threads: 1,
        ...(evaluation.limit ? { 'eval-limit': evaluation.limit } : {}),
        ...(dataDir ? { 'data-dir': dataDir } : {}),
      },
    },
    // The script prints one results row.
    toRows: (row) => [row],
  };
}

export function entries({ quick }) {
  const sources = new Map(listDatasets().map((d) => [d.name, d.source]));
  const out = [];
  for (const definition of flowsPlugin.models) {
    for (const recipe of definition.reproduce) {
      if (recipe.suite !== SUITE) continue;
      const source = sources.get(recipe.dataset);
      if (IMAGES.has(recipe.dataset) && !source?.found) {
        out.push({
          id: `pytorch/${definition.name}/${recipe.name}`,
          whenAsked: Boolean(recipe.onlyWhenAsked),
          skip: `${recipe.dataset} is not on this machine (${source?.howToGet ?? 'see `genzoo datasets`'})`,
        });
        continue;
      }
      const dataDir = IMAGES.has(recipe.dataset) ? source.where : undefined;
      out.push(referenceEntry(definition, recipe, { quick, dataDir }));
    }
  }
  return out;
}
