/**
 * The PyTorch references of the vq-vae suite (and the autoregressive suite's multiscale PixelCNN and the vae
 * suite's NVAE) compute the same function as genzoo's models, so that the suites' side-by-side numbers compare training paths,
 * not bugs. genzoo's `vq-vae-2`, `vq-vae` and
 * `pixel-vae`, built with their mnist-10k recipes' configs (pixel-vae: mnist-10k-wide and -local) at seed 0,
 * take one training step on a fixed batch of 8 images (binary for pixel-vae);
 * benchmarks/reference/equivalence.py loads their weights and the batch into pytorch_vqvae2.py's VqVae2
 * (pytorch_vqvae.py's VqVae, pytorch_pixelvae.py's PixelVae), takes the reference scripts' training step
 * (training_loss, backward, Adam) and reports the differences. Asserted for the VQ-VAEs: identical codes;
 * encoder outputs, per-example commitment terms, code perplexity and codes used, decoder outputs,
 * log-likelihoods, the loss and its terms, the gradient of every trainable variable, the codebook EMA state
 * and one Adam step (from genzoo's gradients) within float32 rounding. For PixelVAE (its training step's ε
 * given to the reference, so both draw the same z): the posterior's μ and log σ, z, the map D(z), the
 * PixelCNN's logits, log p(x | z) and the KL per example, the loss and its metrics, the gradient of every
 * variable and one Adam step, within float32 rounding. For the multiscale PixelCNN (mnist-10k config, binary
 * batch; pytorch_autoregressive.py's MultiscalePixelCnn): log p(x) per example, every level's group logits,
 * the loss, the gradient of every variable and one Adam step. For NVAE (mnist-10k config, binary batch;
 * pytorch_nvae.py's NVAE in training mode, its training_loss given genzoo's draws ε of every group; the
 * zero-initialized prior and posterior heads given small random kernels, so that q ≠ p), at step 0 (β = 0)
 * and step 50 (β = ½, KL balancing in the loss): every group's prior and posterior μ and log σ, z, the KL per
 * example and its batch mean, log p(x | z), the KL balancing weights γ and β, the loss and its metrics, every
 * BatchNorm running statistic after the step, the gradient of every variable and one Adam step, within
 * float32 rounding. The model is freshly initialized: a trained one can
 * put a ReLU input or a code distance at a rounding tie, where the two legitimately differ. genzoo runs on
 * the wasm backend, as the suite runs it (the cpu backend agrees as closely, but its filter gradients of the
 * convolutions take a minute here). Where PyTorch is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autoregressivePlugin, type MultiscalePixelCnn } from '@genzoo/autoregressive';
import { initBackend } from '@genzoo/backends';
import { createOptimizer, deriveSeed, optimizerConfigSchema } from '@genzoo/core';
import { klBalancingWeights, Nvae, vaePlugin } from '@genzoo/vae';
import { LEVELS, PixelVae, type VqVae, VqVae2, vqVaePlugin } from '@genzoo/vq-vae';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { flattenedFlags } from '../reference/flags.mjs';
// @ts-expect-error plain ESM module without types
import { python, pythonEnv } from '../reference/python.mjs';
// @ts-expect-error plain ESM module without types
import { TensorFolder } from '../reference/tensor-folder.mjs';
import { hasTorch } from './reference-dry-run.js';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'reference', 'equivalence.py');
const EVENT_SHAPE = [28, 28, 1] as const;
const BATCH = 8;
/** The training step's seed (tfjs draws an unseeded, random ε for seed 0). */
const SEED = 12345;

/**
 * The largest |reference − genzoo| allowed, relative to max |genzoo| of the quantity, by its kind (its name
 * up to the first '/'; see equivalence.py): about 5 times the largest difference measured (wasm backend,
 * PyTorch 1.13, either model), in brackets.
 */
const VQ_TOLERANCE: Record<string, number> = {
  ze: 3e-6, // [5.7e-7]
  commitment: 1e-5, // [1.9e-6]
  perplexity: 1e-6, // [1.7e-7]
  codes_used: 0, // [0]
  outputs: 3e-6, // [5.1e-7]
  log_likelihood: 5e-6, // [1.0e-6]
  loss: 2e-6, // [2.7e-7]
  reconstruction: 2e-6, // [2.7e-7]
  recon_mse: 2e-5, // [4.2e-6]
  ema: 2e-6, // [3.2e-7]
  grad: 1e-5, // [1.8e-6]
  // [6.8e-6] The biases' first step, ±lr: tfjs's bias correction 1 − β₂ in float32 is 1.3e-5 off, √ 6.4e-6.
  adam: 3e-5,
};

/**
 * As VQ_TOLERANCE, for PixelVAE (the measured values the larger of its mnist-10k-wide and -local configs).
 * The local config's map-decoder kernel gradient can be far less accurate in float32 on other batches: on 32
 * mnist digits its max difference was 9.6e-3 relative, a sum with heavy cancellation (float64 sides with
 * genzoo); on this batch it is 1.2e-6.
 */
const PIXEL_VAE_TOLERANCE: Record<string, number> = {
  posterior: 4e-6, // [8.4e-7] μ and log σ
  z: 5e-7, // [8.4e-8]
  map: 2e-6, // [3.7e-7]
  logits: 7e-6, // [1.3e-6]
  log_likelihood: 5e-6, // [8.8e-7] on a scale of 550 nats
  kl: 6e-6, // [1.1e-6] per example and the batch mean; KL ≈ 0.1 nats from O(1) terms
  loss: 2e-6, // [3.4e-7]
  elbo: 2e-6, // [3.4e-7]
  reconstruction: 2e-6, // [3.4e-7]
  grad: 2e-5, // [3.2e-6]
  adam: 3e-5, // [6.9e-6] tfjs's bias correction, as in VQ_TOLERANCE
};

/** As VQ_TOLERANCE, for the multiscale PixelCNN (mnist-10k config; 224 quantities). */
const MULTISCALE_TOLERANCE: Record<string, number> = {
  log_prob: 2e-6, // [3.7e-7] on a scale of 540 nats
  logits: 4e-6, // [8.4e-7]
  loss: 1e-6, // [1.9e-7]
  grad: 3e-5, // [6.0e-6]
  adam: 3e-5, // [6.8e-6] tfjs's bias correction, as in VQ_TOLERANCE
};

/**
 * As VQ_TOLERANCE, for NVAE (mnist-10k config with perturbed heads, see perturbHeads; the measured values
 * the larger of steps 0 and 50). The biases that only feed a BatchNorm have gradient 0 in exact arithmetic
 * and are measured against their cell's largest gradient (equivalence.py's NULL_GRADIENTS): [1.3e-6].
 */
const NVAE_TOLERANCE: Record<string, number> = {
  prior: 8e-6, // [1.7e-6] μ_p and log σ_p of z2 … z4
  posterior: 8e-6, // [1.6e-6] μ_q and log σ_q of every group
  z: 7e-6, // [1.4e-6]
  kl: 6e-6, // [1.1e-6] every group's KL per example and its batch mean, 9 to 200 nats
  log_likelihood: 2e-6, // [3.9e-7] on a scale of 630 nats
  gamma: 6e-7, // [1.1e-7] the KL balancing weights
  beta: 0, // [0]
  loss: 5e-7, // [1.0e-7]
  elbo: 4e-7, // [7.0e-8]
  recon: 5e-7, // [1.0e-7]
  bn: 4e-6, // [7.5e-7] every BatchNorm running mean and variance after the step
  grad: 6e-5, // [1.3e-5] the generative cells' bn2 shift
  adam: 3e-5, // [6.8e-6] tfjs's bias correction, as in VQ_TOLERANCE
};

/** n dequantized 28 × 28 grey images (k + u) / 256: a ring per image, u from a fixed generator. */
function batchOf(n: number): tf.Tensor4D {
  let state = 1;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const [h, w] = EVENT_SHAPE;
  const values = new Float32Array(n * h * w);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const r = Math.hypot(i - 13 - (b % 3), j - 12 - (b % 4));
        const k = Math.round(255 * Math.max(0, 1 - Math.abs(r - 4 - (b % 5)) / 2));
        values[(b * h + i) * w + j] = (k + uniform()) / 256;
      }
    }
  }
  return tf.tensor4d(values, [n, h, w, 1]);
}

/** n binary 28 × 28 images: batchOf's rings above 1/2. */
function binaryBatchOf(n: number): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.greater(batchOf(n), 0.5), 'float32') as tf.Tensor4D);
}

interface Report {
  differences: Record<string, [number, number]>;
  code_mismatches: Record<string, number>;
  code_margin: Record<string, number>;
  torch: string;
}

/** Each quantizer's z_e and outputs by its variable prefix, the decoder outputs and log p(x | z_q). */
function forward(vq: VqVae | VqVae2, x: tf.Tensor) {
  if (vq instanceof VqVae2) {
    const { ze, quantized, outputs, logLikelihood } = vq.pass(x);
    const levels = LEVELS.map((level) => [`quantizer/${level}`, ze[level], quantized[level]] as const);
    return { levels, outputs, logLikelihood };
  }
  const { ze, quantized, outputs, logLikelihood } = vq.pass(x);
  return { levels: [['quantizer', ze, quantized] as const], outputs, logLikelihood };
}

type Put = (name: string, t: tf.Tensor) => void;

/** The VQ-VAEs' forward quantities (see equivalence.py). */
function putVqForward(vq: VqVae | VqVae2, x: tf.Tensor, put: Put) {
  const pass = forward(vq, x);
  for (const [level, ze, q] of pass.levels) {
    put(`ze/${level}`, ze);
    put(`codes/${level}`, q.indices);
    put(`commitment/${level}`, q.commitmentLoss);
    put(`perplexity/${level}`, q.perplexity);
    put(`codes_used/${level}`, q.codesUsed);
  }
  put('outputs', pass.outputs);
  put('log_likelihood', pass.logLikelihood);
}

/** PixelVAE's forward quantities at the training step's draw z = μ + σ ε, ε seeded by SEED as in rsample. */
function putPixelVaeForward(vae: PixelVae, x: tf.Tensor, put: Put) {
  const q = vae.posterior(x);
  put('eps', tf.randomNormal([x.shape[0], vae.latentDim], 0, 1, 'float32', SEED));
  put('posterior/mean', q.mean());
  put('posterior/log_scale', q.logScale());
  const z = q.rsample(SEED) as tf.Tensor2D;
  put('z', z);
  const map = vae.decodeMap(z);
  put('map', map);
  put('logits', vae.pixelcnn.networkParams(x, 0, undefined, map));
  put('log_likelihood', vae.logLikelihood(x, z));
  put('kl/per_example', tf.sum(q.klToStandardNormal(), 1));
}

/** The scale of the random kernels perturbHeads gives NVAE's prior and posterior heads. */
const HEAD_SCALE = 0.02;

/**
 * Gives NVAE's prior and posterior heads (zero at initialization, so that q = p and every μ, log σ and KL
 * is 0) small random kernels N(0, HEAD_SCALE²), seeded, so the check sees q ≠ p and KLs > 0.
 */
function perturbHeads(nvae: Nvae) {
  for (const [key, v] of Object.entries(nvae.variables())) {
    if (/^(encoder\/z\d+\/posterior|decoder\/z\d+\/prior)\/kernel$/.test(key)) {
      tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, HEAD_SCALE, 'float32', deriveSeed(1, key))));
    }
  }
}

/**
 * NVAE's forward quantities of the training step at `step` (see equivalence.py), from passes in training mode
 * with the step's seed (so the same ε as the objective's); the running statistics those passes update are
 * restored, so the objective's step updates them once, as in training.
 */
function putNvaeForward(nvae: Nvae, x: tf.Tensor, put: Put, step: number) {
  const statistics = Object.entries(nvae.variables())
    .filter(([key]) => /\/running(Mean|Variance)$/.test(key))
    .map(([, v]) => [v, tf.clone(v)] as const);
  const options = { samples: 1, seed: SEED, training: true, reparameterize: true };
  const { groups } = nvae.hierarchy(x, options);
  groups.forEach(({ z, prior, posterior }, l) => {
    const name = `z${l + 1}`;
    // Normal.rsample's draw for group l (Nvae.topDown's seed).
    put(`eps/${name}`, tf.randomNormal(z.shape, 0, 1, 'float32', deriveSeed(SEED, 'z', l)));
    if (l > 0) {
      put(`prior/mean/${name}`, prior.mean());
      put(`prior/log_scale/${name}`, prior.logScale());
    }
    put(`posterior/mean/${name}`, posterior!.mean());
    put(`posterior/log_scale/${name}`, posterior!.logScale());
    put(`z/${name}`, z);
  });
  const terms = nvae.terms(x, options);
  const kl = tf.stack(
    terms.klPerDim.map((g) => tf.sum(tf.squeeze(g, [0]), -1)),
    1,
  ) as tf.Tensor2D;
  tf.unstack(kl, 1).forEach((perExample, l) => {
    put(`kl/z${l + 1}`, perExample);
  });
  put('log_likelihood', tf.squeeze(terms.logLikelihood, [0]));
  const { klWarmupSteps, klBalancing } = nvae.config;
  const beta = klWarmupSteps > 0 ? Math.min(1, step / klWarmupSteps) : 1;
  put(
    'gamma',
    klBalancing && beta < 1
      ? klBalancingWeights(
          kl,
          nvae.groups.map((g) => g.size),
        )
      : tf.ones([nvae.groups.length]),
  );
  for (const [v, value] of statistics) v.assign(value);
}

/** The multiscale PixelCNN's forward quantities: log p(x) and each level's group logits. */
function putMultiscaleForward(ms: MultiscalePixelCnn, x: tf.Tensor, put: Put) {
  put('log_prob', ms.logProb(x));
  for (let level = 1; level <= ms.levels; level++) {
    for (const g of [2, 3, 4] as const) put(`logits/level${level}/group${g}`, ms.groupLogits(x, level, g));
  }
}

/** The objective's metrics under equivalence.py's names. */
const METRICS: Record<string, Record<string, string>> = {
  'vq-vae': { reconstruction: 'reconstruction', reconMse: 'recon_mse' },
  'vq-vae-2': { reconstruction: 'reconstruction', reconMse: 'recon_mse' },
  'pixel-vae': { elbo: 'elbo', kl: 'kl/mean', reconstruction: 'reconstruction' },
  'multiscale-pixelcnn': {},
  // and kl_<l> as kl/mean/z<l>
  nvae: { elbo: 'elbo', recon: 'recon', kl: 'kl/total', beta: 'beta' },
};

/** The reference script's flag for the Adam learning rate. */
const LR_FLAG: Record<string, string> = {
  'vq-vae': 'vq-lr',
  'vq-vae-2': 'vq-lr',
  'pixel-vae': 'lr',
  'multiscale-pixelcnn': 'lr',
  nvae: 'lr',
};

type Checked = VqVae | VqVae2 | PixelVae | MultiscalePixelCnn | Nvae;
const definitions = [...vqVaePlugin.models, ...autoregressivePlugin.models, ...vaePlugin.models];

/**
 * Builds genzoo's `model` with its recipe `recipeName`'s config (keys of `changes` replaced) at seed 0,
 * takes one training step (0-based index `step`) on a fixed batch, writes the weights, the batch and the
 * results for equivalence.py (see its doc), and returns its report.
 */
function check(
  model: 'vq-vae' | 'vq-vae-2' | 'pixel-vae' | 'multiscale-pixelcnn' | 'nvae',
  recipeName = 'mnist-10k',
  changes: Record<string, unknown> = {},
  step = 0,
): Report {
  const definition = definitions.find((d) => d.name === model)!;
  const recipe = definition.reproduce.find((r) => r.name === recipeName)!;
  const config = definition.configSchema.parse({ ...recipe.config, ...changes });
  const vq = definition.create(config, { eventShape: EVENT_SHAPE, seed: 0 }) as Checked;
  const binary = vq instanceof PixelVae || model === 'multiscale-pixelcnn' || vq instanceof Nvae;
  if (vq instanceof Nvae) perturbHeads(vq);
  const variables = vq.variables();
  const keyOf = new Map(Object.entries(variables).map(([key, v]) => [v.name, key]));
  const player = vq.trainingPlan().players[0];
  if (player.kind !== 'gradient') throw new Error(`${model}: expected a gradient player`);
  const optimizerConfig = optimizerConfigSchema.parse(recipe.train!.optimizer);

  const folder = new TensorFolder();
  const put: Put = (name, t) => folder.put(name, t);
  const x = binary ? binaryBatchOf(BATCH) : batchOf(BATCH);
  try {
    for (const [key, v] of Object.entries(variables)) put(`param/${key}`, v);
    put('x', x);
    tf.tidy(() => {
      if (vq instanceof PixelVae) putPixelVaeForward(vq, x, put);
      else if (vq instanceof Nvae) putNvaeForward(vq, x, put, step);
      else if (model === 'multiscale-pixelcnn') putMultiscaleForward(vq as MultiscalePixelCnn, x, put);
      else putVqForward(vq as VqVae | VqVae2, x, put);
    });
    // The training step: the objective (its EMA step inside), gradients, one step of the recipe's Adam.
    const trainable = player.variables();
    const optimizer = createOptimizer(optimizerConfig);
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const { loss, metrics } = player.objective.compute({ x }, { step, nextSeed: () => SEED });
        put('loss', loss);
        for (const [metric, name] of Object.entries(METRICS[model])) put(name, metrics[metric]);
        if (model === 'nvae') {
          for (const [metric, value] of Object.entries(metrics)) {
            const group = /^kl_(\d+)$/.exec(metric);
            if (group) put(`kl/mean/z${group[1]}`, value);
          }
        }
        return loss;
      }, trainable);
      for (const v of trainable) put(`grad/${keyOf.get(v.name)}`, grads[v.name]);
      for (const [key, v] of Object.entries(variables))
        if (key.startsWith('quantizer/') && !key.endsWith('/usage')) put(`ema/${key}`, v);
      optimizer.applyGradients(trainable.map((v) => ({ name: v.name, tensor: grads[v.name] })));
    });
    for (const v of trainable) put(`adam/${keyOf.get(v.name)}`, v);
    if (vq instanceof Nvae) {
      // Every layer's running statistic, in key order, as one vector (some layers' means are ~1e-8).
      const keys = Object.keys(variables).sort();
      for (const statistic of ['runningMean', 'runningVariance']) {
        const layers = keys.filter((key) => key.endsWith(`/${statistic}`)).map((key) => variables[key]);
        put(
          `bn/${statistic}`,
          tf.tidy(() => tf.concat(layers)),
        );
      }
    }
    optimizer.dispose();
  } finally {
    x.dispose();
    vq.dispose();
  }

  const dir = mkdtempSync(join(tmpdir(), 'genzoo-equivalence-'));
  try {
    const flags = { ...flattenedFlags(config), [LR_FLAG[model]]: optimizerConfig.learningRate, step };
    folder.write(dir, { model, flags });
    const run = spawnSync(python, [script, dir], { encoding: 'utf8', env: pythonEnv() });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Asserts the report within `tolerance` (by kind), naming the quantity in a failure. */
function expectEquivalent(report: Report, levels: string[], tolerance = VQ_TOLERANCE) {
  expect(report.code_mismatches, `nearest-code margins ${JSON.stringify(report.code_margin)}`).toEqual(
    Object.fromEntries(levels.map((level) => [level, 0])),
  );
  const kinds = new Set<string>();
  for (const [name, [diff, scale]] of Object.entries(report.differences)) {
    const kind = name.split('/')[0];
    kinds.add(kind);
    expect(tolerance[kind], `a tolerance for ${name}`).toBeDefined();
    expect(diff, `${name}: max |reference − genzoo| (max |genzoo| ${scale})`).toBeLessThanOrEqual(
      tolerance[kind] * scale,
    );
  }
  expect([...kinds].sort()).toEqual(Object.keys(tolerance).sort());
}

describe.skipIf(!hasTorch)('the PyTorch references compute the same function as genzoo', () => {
  beforeAll(async () => {
    await initBackend({ force: 'wasm', quiet: true });
  });

  it('vq-vae-2 (mnist-10k config) and pytorch_vqvae2.py: codes, outputs, loss, gradients, EMA, Adam', () => {
    expectEquivalent(check('vq-vae-2'), ['quantizer/top', 'quantizer/bottom']);
  });

  it('vq-vae-2 with the top-only term (topOnlyWeight 1, read after the EMA step): loss, gradients, Adam', () => {
    expectEquivalent(check('vq-vae-2', 'mnist-10k', { topOnlyWeight: 1 }), [
      'quantizer/top',
      'quantizer/bottom',
    ]);
  });

  it('vq-vae (mnist-10k config) and pytorch_vqvae.py: codes, outputs, loss, gradients, EMA, Adam', () => {
    expectEquivalent(check('vq-vae'), ['quantizer']);
  });

  it('pixel-vae (mnist-10k-wide config) and pytorch_pixelvae.py: posterior, z, map, logits, loss, gradients, Adam', () => {
    expectEquivalent(check('pixel-vae', 'mnist-10k-wide'), [], PIXEL_VAE_TOLERANCE);
  });

  it('multiscale-pixelcnn (mnist-10k config) and pytorch_autoregressive.py: log p(x), group logits, loss, gradients, Adam', () => {
    expectEquivalent(check('multiscale-pixelcnn'), [], MULTISCALE_TOLERANCE);
  });

  it("nvae (mnist-10k config) and pytorch_nvae.py: every group's prior and posterior, z, KL, log p(x | z), loss, gradients, BatchNorm statistics, Adam", () => {
    expectEquivalent(check('nvae'), [], NVAE_TOLERANCE);
  });

  it('nvae at step 50 (KL warm-up β = 1/2 and KL balancing in the loss): the same quantities', () => {
    expectEquivalent(check('nvae', 'mnist-10k', {}, 50), [], NVAE_TOLERANCE);
  });

  it('pixel-vae (mnist-10k-local config) and pytorch_pixelvae.py: posterior, z, map, logits, loss, gradients, Adam', () => {
    expectEquivalent(check('pixel-vae', 'mnist-10k-local'), [], PIXEL_VAE_TOLERANCE);
  });
});
