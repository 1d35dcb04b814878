// Suite `vq-vae`, beside the @genzoo/vq-vae plugin's `reproduce` recipes (which the harness adds itself,
// second stages after the VQ-VAEs they start from): the quality target — at equal networks,
// initialization, optimizer, batch and steps, genzoo's VQ-VAE must reconstruct as well as a carefully
// written PyTorch implementation (test reconstruction MSE and code perplexity), its two-stage bound must
// match (bits/dim), and its prior's samples must score as well (classifier-FD).
//
// Every `vq-vae-prior` recipe gets an entry `pytorch/vq-vae-prior/<recipe>` that runs
// benchmarks/reference/pytorch_vqvae.py on both stages — the VQ-VAE recipe it starts from, then the prior —
// with flags built from the two recipe objects: both models' configs as their schemas complete them,
// flattened (`codebook.update` → `--codebook-update`, the prior network's keys as `--prior-…`, so a key
// the script does not know fails the entry instead of being ignored), each stage's steps (quick under
// --quick), batch size and learning rate. It trains on genzoo's own training images and is evaluated on
// the very test values genzoo's runs are (benchmarks/reference/pytorch-vqvae.mjs), and its samples are
// scored by the same scorer and reference classifier. It writes `pytorch/vq-vae-prior/<recipe>`, and the
// first entry of each VQ-VAE recipe also `pytorch/vq-vae/<recipe>`. PyTorch runs on every core of the machine, on OpenBLAS (OpenMP), as its
// users run it; the rows' backend says which.
//
// Every `vq-vae-2-prior` recipe gets the same kind of entry, `pytorch/vq-vae-2-prior/<recipe>` (and
// `pytorch/vq-vae-2/<recipe>` once per VQ-VAE-2 recipe), running benchmarks/reference/pytorch_vqvae2.py
// through the same runner: the VQ-VAE-2's config flattened (`codebookSize.top` → `--codebook-size-top`),
// `conditional`, and each prior's Gated PixelCNN config as genzoo completes it (the class flag from
// `conditional`, the bottom one's map channels D) as `--top-prior-…` and `--bottom-prior-…`. These recipes
// do not score samples (pixel-by-pixel sampling of both grids is slow): neither does the reference.
//
// Each first-stage recipe with a reference also gets `pytorch-twin/<first stage>` (twinEntry): the reference's
// first stage from the initial weights of genzoo's run of it in this suite, on that run's very batches, so
// that the two differ only in float32 rounding, not in the seed's draws (vq-vae-seeds measures how much
// those move the metrics).
//
// Every `pixel-vae` recipe gets an entry `pytorch/pixel-vae/<recipe>` (pixelVaeReferenceEntries) that runs
// benchmarks/reference/pytorch_pixelvae.py with the recipe's config as pixelVaeConfigSchema completes it,
// flattened (`pixelcnn.gatedLayers` → `--pixelcnn-gated-layers`), its steps (quick under --quick), batch,
// learning rate and importance samples K, on genzoo's grey training images (binarized afresh every batch)
// and the very binarized test values genzoo evaluates (benchmarks/reference/pytorch-pixelvae.mjs).
import { gatedPixelcnnDefinition, pixelcnnDefinition } from '@genzoo/autoregressive';
import { listDatasets } from '@genzoo/datasets/node';
import { vqVaePlugin } from '@genzoo/vq-vae';
import { recipeOut } from '../harness/recipes.mjs';
import { flattenedFlags, unsupportedOptimization } from '../reference/flags.mjs';

export const columns = [
  'recon_mse',
  'perplexity',
  'codes_used',
  'recon_mse_top_only',
  'perplexity_top',
  'perplexity_bottom',
  'codes_used_top',
  'codes_used_bottom',
  'decoder_nll_nats',
  'prior_nll_nats',
  'top_prior_nll_nats',
  'bottom_prior_nll_nats',
  'classifier_fd',
  'classifier_kid',
  'classifier_kid_stderr',
  'precision',
  'recall',
  'cas',
  'kl_nats',
  'sampling_images_per_second',
  // A twin's (pytorch-twin/…): how closely it followed genzoo's run (reference/pytorch-vqvae-twin.mjs).
  'twin_start_loss_gap',
  'twin_apart_at',
];

export const SUITE = 'vq-vae';
const PRIOR_NETWORKS = { 'gated-pixelcnn': gatedPixelcnnDefinition, pixelcnn: pixelcnnDefinition };

/** A recipe's training, evaluation and data settings, with its quick overrides under --quick. */
function settings(recipe, quick) {
  return {
    train: { ...recipe.train, ...(quick ? recipe.quick?.train : {}) },
    evaluation: { ...recipe.evaluation, ...(quick ? recipe.quick?.evaluation : {}) },
    datasetOptions: { ...recipe.datasetOptions, ...(quick ? recipe.quick?.datasetOptions : {}) },
  };
}

/** What of a stage's training the script does not implement, or undefined. */
function unsupportedTraining(train) {
  if (train.steps === undefined) return 'an epoch budget (the reference trains for steps)';
  return unsupportedOptimization(train);
}

/** The prior network's config as its schema completes it (the head is the prior's K-way softmax), as flags. */
function priorFlags(priorConfig, codebookSize) {
  const definition = PRIOR_NETWORKS[priorConfig.network];
  const { head: _, ...network } = definition.configSchema.parse({
    ...priorConfig.prior,
    head: { kind: 'categorical', categories: codebookSize, values: 'index' },
  });
  const flags = flattenedFlags(network, ['prior']);
  return { network: priorConfig.network, ...flags };
}

/**
 * A `vq-vae-2-prior` config as flags: `conditional`, and each level's Gated PixelCNN config as the model
 * completes it (`conditional` from the model's, the bottom one's `mapChannels` D; head excluded) under
 * `top-prior-…` and `bottom-prior-…`.
 */
function vqVae2PriorFlags(priorConfig, vqConfig) {
  const network = (level, mapChannels) => {
    const { head: _, ...config } = gatedPixelcnnDefinition.configSchema.parse({
      ...priorConfig[level],
      ...(priorConfig.conditional ? { conditional: true } : {}),
      ...(mapChannels > 0 ? { mapChannels } : {}),
      head: { kind: 'categorical', categories: vqConfig.codebookSize[level], values: 'index' },
    });
    return flattenedFlags(config, [`${level}Prior`]);
  };
  return {
    ...flattenedFlags({ conditional: priorConfig.conditional }),
    ...network('top', 0),
    ...network('bottom', vqConfig.codeDim),
  };
}

/** Each first stage's reference script, and how its second stage's config becomes that script's flags. */
const REFERENCES = {
  'vq-vae': {
    script: 'pytorch_vqvae.py',
    priorFlags: (priorConfig, vqConfig) => priorFlags(priorConfig, vqConfig.codebookSize),
  },
  'vq-vae-2': { script: 'pytorch_vqvae2.py', priorFlags: vqVae2PriorFlags },
};

/**
 * The reference entry of second-stage recipe `recipe` (`vq-vae-prior` or `vq-vae-2-prior`) and the
 * first-stage recipe it starts from (`vq-vae` or `vq-vae-2`).
 */
export function referenceEntry(priorDefinition, recipe, vqDefinition, vqRecipe, { quick }) {
  const id = `pytorch/${priorDefinition.name}/${recipe.name}`;
  const whenAsked = Boolean(recipe.onlyWhenAsked);
  const prior = settings(recipe, quick);
  const vq = settings(vqRecipe, quick);
  if (
    JSON.stringify(prior.datasetOptions) !== JSON.stringify(vq.datasetOptions) ||
    recipe.dataset !== vqRecipe.dataset
  ) {
    return { id, whenAsked, skip: `${recipe.name} and ${vqRecipe.name} train on different data` };
  }
  const unsupported = unsupportedTraining(vq.train) ?? unsupportedTraining(prior.train);
  if (unsupported) return { id, whenAsked, skip: `the PyTorch reference does not implement ${unsupported}` };
  const vqConfig = vqDefinition.configSchema.parse(vqRecipe.config);
  const priorConfig = priorDefinition.configSchema.parse(recipe.config);
  const reference = REFERENCES[vqDefinition.name];
  return {
    id,
    whenAsked,
    script: 'reference/pytorch-vqvae.mjs',
    args: {
      script: reference.script,
      recipe: `${priorDefinition.name}/${recipe.name}`,
      vqRecipe: `${vqDefinition.name}/${vqRecipe.name}`,
      dataset: recipe.dataset,
      datasetOptions: prior.datasetOptions,
      limit: prior.evaluation.limit,
      // Samples are scored only where the recipe's evaluation scores them.
      n: prior.evaluation.score?.n,
      seed: prior.train.seed ?? 0,
      out: `benchmarks/.work/${SUITE}/pytorch/${priorDefinition.name}/${recipe.name}`,
      flags: {
        recipe: `${priorDefinition.name}/${recipe.name}`,
        'vq-recipe': `${vqDefinition.name}/${vqRecipe.name}`,
        ...flattenedFlags(vqConfig),
        'vq-steps': vq.train.steps,
        'vq-batch': vq.train.batchSize ?? 128,
        'vq-lr': vq.train.optimizer?.learningRate ?? 1e-3,
        ...reference.priorFlags(priorConfig, vqConfig),
        'prior-steps': prior.train.steps,
        'prior-batch': prior.train.batchSize ?? 128,
        'prior-lr': prior.train.optimizer?.learningRate ?? 1e-3,
      },
    },
  };
}

/** The `pytorch/pixel-vae/<recipe>` entry of every `pixel-vae` recipe; `sources` maps dataset names to their sources. */
export function pixelVaeReferenceEntries(sources, { quick }) {
  const definition = vqVaePlugin.models.find((d) => d.name === 'pixel-vae');
  return (definition?.reproduce ?? [])
    .filter((recipe) => recipe.suite === SUITE)
    .map((recipe) => {
      const id = `pytorch/${definition.name}/${recipe.name}`;
      const whenAsked = Boolean(recipe.onlyWhenAsked);
      const source = sources.get(recipe.dataset);
      if (!source?.found) {
        const howToGet = source?.howToGet ?? 'see `genzoo datasets`';
        return { id, whenAsked, skip: `${recipe.dataset} is not on this machine (${howToGet})` };
      }
      const { train, evaluation, datasetOptions } = settings(recipe, quick);
      const unsupported = unsupportedTraining(train);
      if (unsupported)
        return { id, whenAsked, skip: `the PyTorch reference does not implement ${unsupported}` };
      return {
        id,
        whenAsked,
        script: 'reference/pytorch-pixelvae.mjs',
        args: {
          recipe: `${definition.name}/${recipe.name}`,
          dataset: recipe.dataset,
          datasetOptions,
          limit: evaluation.limit,
          // Pixel-by-pixel sampling is slow: enough images for the picture, and a sampling speed.
          n: 64,
          seed: train.seed ?? 0,
          out: `benchmarks/.work/${SUITE}/pytorch/${definition.name}/${recipe.name}`,
          flags: {
            recipe: `${definition.name}/${recipe.name}`,
            ...flattenedFlags(definition.configSchema.parse(recipe.config)),
            steps: train.steps,
            batch: train.batchSize ?? 128,
            lr: train.optimizer?.learningRate ?? 1e-3,
            // evaluateModel's default K.
            'eval-samples': evaluation.samples ?? 1000,
          },
        },
      };
    });
}

/**
 * The entry `pytorch-twin/<first stage>` (`vq-vae/<recipe>` or `vq-vae-2/<recipe>`): the PyTorch reference
 * of that first stage started from a genzoo run's initial weights and trained on its very batches
 * (reference/pytorch-vqvae-twin.mjs), with the reference entry's `flags`. By default the twin of this
 * suite's run of the recipe; `id`, `seed`, `genzooRun` (that run's folder) and `out` replace them.
 */
export function twinEntry(firstStage, flags, { quick, id, seed, genzooRun, out }) {
  return {
    id: id ?? `pytorch-twin/${firstStage}`,
    script: 'reference/pytorch-vqvae-twin.mjs',
    args: {
      recipe: firstStage,
      quick,
      ...(seed === undefined ? {} : { seed }),
      genzooRun: genzooRun ?? recipeOut(SUITE, firstStage),
      out: out ?? `benchmarks/.work/${SUITE}/pytorch-twin/${firstStage}`,
      flags,
    },
  };
}

export function entries({ quick }) {
  const sources = new Map(listDatasets().map((d) => [d.name, d.source]));
  const definitions = new Map(vqVaePlugin.models.map((d) => [d.name, d]));
  const reported = new Set();
  const out = [];
  const twins = [];
  for (const definition of vqVaePlugin.models) {
    for (const recipe of definition.reproduce) {
      if (recipe.suite !== SUITE || !recipe.startsFrom) continue;
      const id = `pytorch/${definition.name}/${recipe.name}`;
      const [vqModel, vqName] = recipe.startsFrom.recipe.split('/');
      const vqDefinition = definitions.get(vqModel);
      const vqRecipe = vqDefinition?.reproduce.find((r) => r.name === vqName);
      if (!REFERENCES[vqModel] || !vqRecipe) {
        out.push({
          id,
          skip: `the PyTorch references implement vq-vae and vq-vae-2 first stages, not ${recipe.startsFrom.recipe}`,
        });
        continue;
      }
      const source = sources.get(recipe.dataset);
      if (!source?.found) {
        out.push({
          id,
          whenAsked: Boolean(recipe.onlyWhenAsked),
          skip: `${recipe.dataset} is not on this machine (${source?.howToGet ?? 'see `genzoo datasets`'})`,
        });
        continue;
      }
      const entry = referenceEntry(definition, recipe, vqDefinition, vqRecipe, { quick });
      // Every entry trains its own first stage (the same seed, so the same VQ-VAE); the first entry of
      // each VQ-VAE recipe reports it.
      // and gets a twin of genzoo's run of it.
      if (entry.args) {
        entry.args.reportFirstStage = !reported.has(recipe.startsFrom.recipe);
        if (entry.args.reportFirstStage) {
          twins.push({
            ...twinEntry(recipe.startsFrom.recipe, entry.args.flags, { quick }),
            whenAsked: entry.whenAsked,
          });
        }
        reported.add(recipe.startsFrom.recipe);
      }
      out.push(entry);
    }
  }
  out.push(...twins, ...pixelVaeReferenceEntries(sources, { quick }));
  return out;
}
