// Suite `gan`, beside the @genzoo/gan plugin's `reproduce` recipes (which the harness adds itself): the
// quality target — at equal network and steps, genzoo's sample quality must be as good as a carefully
// written PyTorch implementation of the same recipe.
//
// Every recipe the reference implements gets an entry `pytorch/<model>/<recipe>` that runs
// benchmarks/reference/pytorch_gan.py with flags built from the recipe object itself: the model's config as
// its schema completes it, flattened (`optimizers.generator.learningRate` → `--optimizers-generator-
// learning-rate`, so a key the script does not know fails the entry instead of being ignored), the
// recipe's step budget (quick under --quick), batch size and seed. The script trains on the same data
// (genzoo's own training points for the 2-D set), writes its samples, and reference/pytorch-gan.mjs scores
// them with the very code and reference classifier that score genzoo's runs. PyTorch runs on one thread,
// as genzoo's wasm backend does in Node, so examples/s compare per core.
import { listDatasets } from '@genzoo/datasets/node';
import { ganPlugin } from '@genzoo/gan';
import { flattenedFlags } from '../reference/flags.mjs';

export { flattenedFlags as configFlags };

/** Sample-quality columns (from each run's test metrics) and throughput. */
export const columns = [
  'classifier_fd',
  'classifier_kid',
  'classifier_kid_stderr',
  'precision',
  'recall',
  'cas',
  'classifier_score',
  'modes_covered',
  'high_quality_fraction',
  'fd',
  'b_to_a_classifier_fd',
  'cycle_error',
  'target_accuracy',
  'classifier_fd_to_upright',
  'classifier_fd_to_rotated',
  'classifier_fd_to_inverted',
  'classifier_fd_to_thick',
  'classifier_fd_to_thin',
  'recon_error',
  'steps_per_second',
];

export const SUITE = 'gan';
/** The models pytorch_gan.py implements, and StarGAN, which pytorch_stargan.py does. */
const REFERENCE_MODELS = new Set(['gan', 'dcgan', 'wgan', 'wgan-gp', 'cgan', 'stargan']);
/**
 * The datasets they read: Fashion-MNIST idx files, or genzoo's 2-D training points; genzoo's
 * mnist-10k-domains splits (StarGAN).
 */
const DATASETS = new Set(['fashion-mnist', '8gaussians', 'mnist-10k-domains']);
/** The runner of each model's reference: pytorch-gan.mjs unless the model has its own. */
const SCRIPTS = { stargan: 'reference/pytorch-stargan.mjs' };

/** The reference entry of one genzoo recipe of model `definition`. */
export function referenceEntry(definition, recipe, { quick, dataDir }) {
  const id = `pytorch/${definition.name}/${recipe.name}`;
  const whenAsked = Boolean(recipe.onlyWhenAsked);
  if (!REFERENCE_MODELS.has(definition.name)) {
    return { id, whenAsked, skip: `the PyTorch reference implements ${[...REFERENCE_MODELS].join(', ')}` };
  }
  if (!DATASETS.has(recipe.dataset)) {
    return { id, whenAsked, skip: `the PyTorch reference does not read ${recipe.dataset}` };
  }
  const train = { ...recipe.train, ...(quick ? recipe.quick?.train : {}) };
  const evaluation = { ...recipe.evaluation, ...(quick ? recipe.quick?.evaluation : {}) };
  const datasetOptions = { ...recipe.datasetOptions, ...(quick ? recipe.quick?.datasetOptions : {}) };
  const seed = train.seed ?? 0;
  return {
    id,
    whenAsked,
    script: SCRIPTS[definition.name] ?? 'reference/pytorch-gan.mjs',
    args: {
      model: definition.name,
      recipe: recipe.name,
      metric: recipe.metric,
      dataset: recipe.dataset,
      datasetOptions,
      n: evaluation.score.n,
      seed,
      out: `benchmarks/.work/${SUITE}/pytorch/${definition.name}/${recipe.name}`,
      flags: {
        recipe: `${definition.name}/${recipe.name}`,
        model: definition.name,
        dataset: recipe.dataset,
        ...flattenedFlags(definition.configSchema.parse(recipe.config)),
        'train-steps': train.steps,
        batch: train.batchSize,
        seed,
        threads: 1,
        ...(dataDir ? { 'data-dir': dataDir } : {}),
      },
    },
  };
}

export function entries({ quick }) {
  const sources = new Map(listDatasets().map((d) => [d.name, d.source]));
  return ganPlugin.models.flatMap((definition) =>
    definition.reproduce
      .filter((recipe) => recipe.suite === SUITE)
      .map((recipe) => {
        const source = sources.get(recipe.dataset);
        if (!source?.found) {
          return {
            id: `pytorch/${definition.name}/${recipe.name}`,
            whenAsked: Boolean(recipe.onlyWhenAsked),
            skip: `${recipe.dataset} is not on this machine (${source?.howToGet ?? 'see `genzoo datasets`'})`,
          };
        }
        const dataDir = recipe.dataset === 'fashion-mnist' ? source.where : undefined;
        return referenceEntry(definition, recipe, { quick, dataDir });
      }),
  );
}
