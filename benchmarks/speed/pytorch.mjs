// The PyTorch half of the `speed` suite: each workload of workloads.mjs trained by the PyTorch reference
// script of its family (benchmarks/reference/pytorch_{vae,autoregressive,flows,gan}.py), with the flags
// that family's suite builds from the same genzoo recipe (its parsed config, with the workload's `config`
// overrides merged in, batch and optimizer), so the network, batch, data and dtype (float32) are genzoo's.
// Only the budget changes: `steps` training steps (`--max-steps`, or `--train-steps` where that is the
// script's budget), of which the first WARMUP_STEPS are not timed (`--warmup-steps`: the clock starts after
// them), an evaluation as small as the script allows (EVAL_LIMIT test examples, one importance sample),
// and sampling (SAMPLE_COUNT images, autoregressive models) only when the workload asks for it.
//
// The scripts time the training loop alone: the data is read before the clock starts and the evaluation
// after it stops; what the loop does per step (drawing the batch's indices, binarizing or dequantizing it,
// forward, backward, Adam) is what genzoo's Trainer does per step too. PyTorch runs on the BLAS that
// reference/python.mjs puts first on LD_LIBRARY_PATH (OpenBLAS's OpenMP build), and every result says which.
//
// The VAE suite has no reference entries built from recipes (its PyTorch VAEs are written by hand for the
// MLP recipes), so the VAE flags are built here from the recipe's parsed config: `--network mlp --hidden …`
// or `--network conv --channels … --kernel-size … --hidden …`, `--latent`, batch and learning rate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { loadPlugins } from '@genzoo/cli';
import { defaultRegistry } from '@genzoo/core';
import { listDatasets, loadDataset } from '@genzoo/datasets/node';
import { runReferenceScript } from '../reference/python.mjs';
import { evaluatedValues } from '../reference/splits.mjs';
import * as autoregressive from '../suites/autoregressive.mjs';
import * as flows from '../suites/flows.mjs';
import * as gan from '../suites/gan.mjs';

/** Steps trained before the clock starts (allocations, oneDNN's kernel choice, Adam's first moments). */
export const WARMUP_STEPS = 3;
/** Test examples the closing evaluation scores (the scripts always evaluate; as little as they allow). */
export const EVAL_LIMIT = 4;
/** Images drawn to time sampling, for workloads with `sampling`. */
export const SAMPLE_COUNT = 4;

/** `base` with `override` merged in, objects key by key (arrays and values replaced). */
export function mergeConfig(base, override) {
  if (override === undefined) return base;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return override;
  if (override === null || typeof override !== 'object' || Array.isArray(override)) return override;
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeConfig(base[key], value);
  return out;
}

let plugins;
/** The genzoo model definition and recipe of a workload, the recipe's config with the overrides merged. */
export async function workloadRecipe(workload) {
  plugins ??= loadPlugins();
  await plugins;
  const { definition } = defaultRegistry.get(workload.model);
  const recipe = definition.reproduce.find((r) => r.name === workload.recipe);
  if (!recipe) throw new Error(`speed: model ${workload.model} has no recipe ${workload.recipe}`);
  return { definition, recipe: { ...recipe, config: mergeConfig(recipe.config, workload.config) } };
}

/** Where the data of `dataset` is on this machine (idx folder for Fashion-MNIST), or undefined. */
function dataDirOf(dataset) {
  const source = listDatasets().find((d) => d.name === dataset)?.source;
  return source?.found && source.where !== 'generated' ? source.where : undefined;
}

/** pytorch_vae.py's flags for a VAE recipe (the vae suite builds none from recipes). */
function vaeFlags(definition, recipe, dataDir) {
  const config = definition.configSchema.parse(recipe.config);
  if (definition.name !== 'vae')
    throw new Error(`speed: pytorch_vae.py implements vae, not ${definition.name}`);
  if (config.likelihood.kind !== 'bernoulli' || config.samples !== 1)
    throw new Error('speed: pytorch_vae.py implements the one-sample ELBO with a Bernoulli decoder');
  if (recipe.datasetOptions?.binarize !== 'dynamic')
    throw new Error('speed: pytorch_vae.py trains on dynamically binarized images');
  const { network } = config;
  if (network.activation !== 'relu') throw new Error('speed: pytorch_vae.py uses ReLU');
  const optimizer = recipe.train.optimizer ?? {};
  return {
    recipe: `${definition.name}/${recipe.name}`,
    network: network.kind,
    hidden: network.hidden.join(','),
    ...(network.kind === 'conv'
      ? { channels: network.channels.join(','), 'kernel-size': network.kernelSize }
      : {}),
    activation: network.activation,
    latent: config.latentDim,
    k: 1,
    epochs: recipe.train.epochs,
    batch: recipe.train.batchSize,
    lr: optimizer.learningRate ?? 1e-3,
    ...(dataDir ? { data: dataDir } : {}),
  };
}

/**
 * The reference run of a workload: its script, its flags (the suite's, with the speed budget) and, for
 * pytorch_flows.py, the genzoo splits it must be handed (`files`: written by pytorchThroughput).
 */
export async function pytorchRun(workload, { threads = 1, steps = workload.pytorchSteps } = {}) {
  const { definition, recipe } = await workloadRecipe(workload);
  const dataDir = dataDirOf(recipe.dataset);
  const warmup = Math.min(WARMUP_STEPS, Math.max(steps - 1, 0));
  const budget = { threads, 'warmup-steps': warmup };
  const family = recipe.suite;
  if (family === 'vae') {
    const flags = vaeFlags(definition, recipe, dataDir);
    return {
      script: 'pytorch_vae.py',
      flags: { ...flags, ...budget, 'max-steps': steps, 'eval-limit': EVAL_LIMIT, 'eval-samples': 1 },
    };
  }
  const suites = { autoregressive, flows, gan };
  if (!suites[family]) throw new Error(`speed: no PyTorch reference for suite ${family} (${workload.id})`);
  const entry = suites[family].referenceEntry(definition, recipe, { quick: false, dataDir });
  if (entry.skip) throw new Error(`speed: ${workload.id}: ${entry.skip}`);
  if (family === 'gan') {
    if (entry.script !== 'reference/pytorch-gan.mjs')
      throw new Error(`speed: ${workload.id}: ${entry.script}`);
    return { script: 'pytorch_gan.py', flags: { ...entry.args.flags, ...budget, 'train-steps': steps } };
  }
  const { script, args, testSet } = entry.args;
  if (family === 'autoregressive') {
    return {
      script,
      flags: {
        ...args,
        ...budget,
        'max-steps': steps,
        'eval-limit': EVAL_LIMIT,
        'sample-count': workload.sampling ? SAMPLE_COUNT : 1,
      },
    };
  }
  return {
    script,
    flags: { ...args, ...budget, 'train-steps': steps, 'eval-limit': EVAL_LIMIT },
    files: { dataset: testSet.dataset, options: testSet.options, seed: testSet.seed, train: testSet.train },
  };
}

/** Writes genzoo's first EVAL_LIMIT test examples (and with `train`, its training split) as float32 files. */
async function writeSplits(dir, { dataset, options, seed, train }) {
  await initBackend({ force: 'cpu', quiet: true });
  const splits = await loadDataset(dataset, options);
  const flags = { 'test-file': join(dir, 'test.f32'), 'test-format': 'f32' };
  writeFileSync(
    flags['test-file'],
    new Uint8Array((await evaluatedValues(splits.test, seed, EVAL_LIMIT)).buffer),
  );
  if (train) {
    const batch = splits.train.getBatch(Int32Array.from({ length: splits.train.size }, (_, i) => i));
    flags['train-file'] = join(dir, 'train.f32');
    flags['train-format'] = 'f32';
    writeFileSync(flags['train-file'], new Uint8Array((await batch.x.data()).buffer));
    for (const t of [batch.x, batch.labels, batch.condition]) t?.dispose();
  }
  return flags;
}

/** The threads a script reports, or reads off its backend string (`pytorch-cpu-1-thread`). */
const threadsOf = (result) => result.threads ?? Number(/(\d+)[- ]thread/.exec(result.backend ?? '')?.[1]);

/**
 * Trains `workload` in PyTorch for `steps` steps on `threads` threads; its training throughput (examples
 * per second after the warm-up steps) and, for sampling workloads, images sampled per second.
 */
export async function pytorchThroughput(workload, { threads = 1, steps = workload.pytorchSteps } = {}) {
  const run = await pytorchRun(workload, { threads, steps });
  const scratch = run.files ? mkdtempSync(join(tmpdir(), 'genzoo-speed-')) : undefined;
  try {
    const files = run.files ? await writeSplits(scratch, run.files) : {};
    const printed = runReferenceScript(run.script, { ...run.flags, ...files });
    const result = printed.rows ? printed.rows[0] : printed;
    return {
      examples_per_second: result.examples_per_second,
      ...(workload.sampling ? { sampling_images_per_second: result.sampling_images_per_second } : {}),
      blas: result.blas,
      threads: threadsOf(result),
      backend: result.backend,
      torch: result.torch,
      steps: result.steps,
      warmup_steps: result.warmup_steps,
    };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** The float32 GFLOP/s of the MLP VAE's first layer's products in PyTorch (reference/matmul_ceiling.py). */
export function pytorchMatmulGflops({ threads = 1 } = {}) {
  return runReferenceScript('matmul_ceiling.py', { threads });
}
