// Suite `vae`, beside the @genzoo/vae plugin's `reproduce` recipes (which the harness adds itself):
//
// - The quality target: PyTorch references with the same network, optimizer, batch, epochs and data
//   protocol as the genzoo recipe named in `recipe`, scored on genzoo's own binarized test images
//   (benchmarks/reference/pytorch_vae.py), and `compare/<recipe>` entries that score the checkpoint the
//   recipe entry trained with the very same K and test subset, so the two −log p(x) compare directly.
//   PyTorch runs on one thread, as genzoo's wasm backend does in Node, so examples/s compare per core.
// - The encoder-gradient variance of the reparameterization and score-function estimators on one batch
//   (benchmarks/vae/gradient-variance.mjs).
//
// - NVAE against the VAE and the two-layer VAE at equal wall-clock on mnist-10k: the Trainer has no time
//   budget, so `equal-time/<model>` trains the model's mnist-10k recipe for the number of steps that take
//   as long as one quick epoch of NVAE (measured: see EQUAL_TIME), and every one of them is scored on the
//   same first test images with the same K as that run (NVAE's hierarchy is slow to decode, so its quick
//   evaluation uses fewer draws than the other recipes). `train_seconds` is the training alone; `seconds`
//   adds the Trainer's closing evaluation, long for NVAE. The PyTorch NVAE (`pytorch/nvae/mnist-10k`)
//   trains the same network for the same steps.
//
// The comparison is scored with K = 1000 on the first 1000 test images in full runs too: PyTorch's CPU
// importance sampling draws about 7000 latent samples per second here (measured in the quick run, two
// threads), so the recipes' K = 5000 on all 10,000 images would take it hours; genzoo's recipe entries
// still report that full protocol.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nvaeConfigSchema, nvaeDefinition, vaePlugin } from '@genzoo/vae';
import { recipeEntry } from '../harness/recipes.mjs';

export const columns = [
  'train_seconds',
  'kl_group_1',
  'kl_group_2',
  'kl_group_3',
  'kl_group_4',
  'estimator',
  'encoder_grad_variance',
  'encoder_grad_mean_sq',
  'variance_vs_reparameterization',
];

const TEST_SET = { dataset: 'fashion-mnist', options: { binarize: 'dynamic' } };
/** The comparison's importance sampling: K = 1000 on the first 1000 test images. */
const COMPARISON = { limit: 1000, samples: 1000 };

/** The genzoo recipes of the quality target, with their quick epochs and bound. */
const TARGETS = [
  { recipe: 'vae/fashion-mnist', k: 1, quickEpochs: 1 },
  { recipe: 'iwae/fashion-mnist-k5', k: 5, quickEpochs: 0.5 },
];

function pytorchReference({ recipe, k, quickEpochs }, quick) {
  return {
    id: `pytorch/${recipe}`,
    script: 'reference/pytorch.mjs',
    args: {
      script: 'pytorch_vae.py',
      testSet: TEST_SET,
      args: {
        recipe,
        hidden: '512,256',
        latent: 20,
        k,
        epochs: quick ? quickEpochs : 10,
        batch: 128,
        lr: 1e-3,
        threads: 1,
        'eval-limit': COMPARISON.limit,
        'eval-samples': COMPARISON.samples,
      },
    },
  };
}

/** Scores the checkpoint of recipe entry `recipe` (trained earlier in the same run) like the reference. */
function genzooComparison({ recipe }) {
  const [model, name] = recipe.split('/');
  return {
    id: `compare/${recipe}`,
    script: 'vae/compare.mjs',
    args: { model, recipe: name, dir: `benchmarks/.work/vae/${model}/${name}`, ...COMPARISON },
  };
}

/**
 * Steps of each mnist-10k recipe that train about as long as one quick epoch of NVAE (140 steps of 64:
 * 259 s of training in the measured run, on this 2-core machine beside other work), from 300-step runs
 * of the VAE (25.9 s) and the two-layer VAE (12.9 s) in the same conditions; every run is scored like
 * NVAE's quick evaluation (nvae/recipes.ts).
 */
const EQUAL_TIME = { nvae: 140, vae: 3000, hvae: 6000, evaluation: { limit: 1000, samples: 20 } };

/** Seconds of training alone: the last training record of a run's metrics log (`seconds` adds the evaluation). */
function trainSeconds(out) {
  const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return lines.filter((l) => l.kind === 'train').at(-1)?.seconds;
}

/**
 * The harness's entry for `<model>/mnist-10k --quick` (its row, the suite's columns), trained for `steps`
 * steps and scored like the quick NVAE run, in its own run folder.
 */
function equalTime(model, quick) {
  const definition = vaePlugin.models.find((m) => m.name === model);
  const recipe = definition.reproduce.find((r) => r.name === 'mnist-10k');
  const { limit, samples } = EQUAL_TIME.evaluation;
  const out = join('benchmarks', '.work', 'vae', 'equal-time', model);
  const entry = recipeEntry(definition, recipe, {
    quick: true,
    columns,
    id: `equal-time/${model}/mnist-10k`,
    out,
  });
  const scoring = ['--eval-limit', String(limit), '--eval-samples', String(samples)];
  return {
    ...entry,
    whenAsked: !quick,
    command: [...entry.command, '--steps', String(EQUAL_TIME[model]), ...scoring],
    toRows: (summary) =>
      entry.toRows(summary).map((row) => ({
        ...row,
        dataset: `${summary.dataset} (first ${limit} test images, K = ${samples})`,
        // Trained for --steps, not the quick recipe's epochs.
        epochs: undefined,
        train_seconds: trainSeconds(out),
      })),
  };
}

/**
 * The PyTorch NVAE (benchmarks/reference/pytorch_nvae.py) with nvae/mnist-10k's network, objective,
 * optimizer, batch and epochs (read from the recipe and its parsed config), trained on the same grey levels
 * (binarized per batch) and scored on genzoo's binarized test split with the recipe's K.
 */
export function pytorchNvae(quick) {
  const recipe = nvaeDefinition.reproduce.find((r) => r.name === 'mnist-10k');
  const config = nvaeConfigSchema.parse(recipe.config);
  const epochs = (quick ? recipe.quick?.train?.epochs : undefined) ?? recipe.train.epochs;
  const evaluation = quick ? { ...recipe.evaluation, ...recipe.quick?.evaluation } : recipe.evaluation;
  return {
    id: 'pytorch/nvae/mnist-10k',
    script: 'reference/pytorch.mjs',
    args: {
      script: 'pytorch_nvae.py',
      testSet: { dataset: recipe.dataset, options: recipe.datasetOptions, trainLevels: true },
      args: {
        recipe: 'nvae/mnist-10k',
        channels: config.channels,
        groups: config.groupsPerScale,
        latent: config.latentChannels,
        expansion: config.expansion,
        'se-reduction': config.seReduction,
        warmup: config.klWarmupSteps,
        epochs,
        batch: recipe.train.batchSize,
        lr: recipe.train.optimizer.learningRate,
        threads: 1,
        'eval-limit': evaluation.limit ?? 0,
        'eval-samples': evaluation.samples,
      },
    },
  };
}

export function entries({ quick }) {
  return [
    equalTime('nvae', quick),
    equalTime('vae', quick),
    equalTime('hvae', quick),
    pytorchNvae(quick),
    ...TARGETS.flatMap((target) => [genzooComparison(target), pytorchReference(target, quick)]),
    ...TARGETS.map(({ recipe }) => {
      const [model, name] = recipe.split('/');
      return {
        id: `gradient-variance/${model}`,
        script: 'vae/gradient-variance.mjs',
        args: { model, recipe: name, trainSteps: quick ? 200 : 2000, repeats: quick ? 50 : 200 },
      };
    }),
  ];
}
