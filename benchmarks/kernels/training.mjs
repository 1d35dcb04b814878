// Training throughput of two VAE-sized networks built from @genzoo/core's layers: examples per second of
// one Adam step (forward + backward + update) at a fixed batch, on each requested backend.
//
//   node kernels/training.mjs '{"model":"mlp","batch":128,"warmup":2,"steps":10,"cpuWarmup":0,
//                               "cpuSteps":3,"configs":["wasm","wasm-stock","cpu"]}'
//
// Configs: "wasm" (with genzoo's kernel pack), "wasm-stock" (the stock wasm kernels; the conv net cannot
// train there, wasm has no Conv2DBackpropFilter), "cpu".

import { initBackend, registerWasmKernelPack, unregisterWasmKernelPack, withBackend } from '@genzoo/backends';
import { Conv2D, Conv2DTranspose, MLP, ParameterStore, tf } from '@genzoo/core';
import { median, parseArgs, report } from './timing.mjs';

const args = parseArgs();
const batch = args.batch ?? 128;
const timing = { warmup: args.warmup ?? 2, steps: args.steps ?? 10 };
// cpu trains the conv net at seconds per step; it may be given fewer steps.
const cpuTiming = { warmup: args.cpuWarmup ?? timing.warmup, steps: args.cpuSteps ?? timing.steps };
await initBackend({ force: 'wasm', quiet: true });

const LATENT = 20;

/**
 * MLP VAE: encoder 784-512-256-(2·20) (mean, log-variance), decoder 20-256-512-784 (Bernoulli logits).
 * Loss: −ELBO = Σ sigmoid-cross-entropy(x, logits) + KL(N(μ, σ²) ‖ N(0, 1)), batch mean.
 */
function mlpVae(params) {
  const encoder = new MLP(params, 'encoder', [784, 512, 256, 2 * LATENT], 'relu');
  const decoder = new MLP(params, 'decoder', [LATENT, 256, 512, 784], 'relu');
  return {
    describe: 'MLP VAE 784-512-256-20, mirror decoder',
    input: [batch, 784],
    loss: (x, eps) => elbo(x, encoder.apply(x), (z) => decoder.apply(z), eps),
  };
}

/**
 * Conv VAE: conv 1→32 and 32→64 (3×3, stride 2: 28→14→7), dense to (μ, log σ²) of a
 * 20-d latent, and the mirror decoder (dense, conv2dTranspose 64→32→1, stride 2: 7→14→28).
 */
function convVae(params) {
  const conv1 = new Conv2D(params, 'enc/conv1', 1, 32, { kernelSize: 3, stride: 2 });
  const conv2 = new Conv2D(params, 'enc/conv2', 32, 64, { kernelSize: 3, stride: 2 });
  const toLatent = new MLP(params, 'enc/dense', [7 * 7 * 64, 2 * LATENT]);
  const fromLatent = new MLP(params, 'dec/dense', [LATENT, 7 * 7 * 64]);
  const deconv1 = new Conv2DTranspose(params, 'dec/deconv1', 64, 32, { kernelSize: 3, stride: 2 });
  const deconv2 = new Conv2DTranspose(params, 'dec/deconv2', 32, 1, { kernelSize: 3, stride: 2 });
  const encode = (x) => {
    const h = tf.relu(conv2.apply(tf.relu(conv1.apply(x))));
    return toLatent.apply(tf.reshape(h, [batch, 7 * 7 * 64]));
  };
  const decode = (z) => {
    const h = tf.reshape(tf.relu(fromLatent.apply(z)), [batch, 7, 7, 64]);
    return tf.reshape(deconv2.apply(tf.relu(deconv1.apply(h))), [batch, 784]);
  };
  return {
    describe: 'conv VAE 28→14→7 (32, 64 ch), mirror conv2dTranspose decoder',
    input: [batch, 28, 28, 1],
    loss: (x, eps) => elbo(tf.reshape(x, [batch, 784]), encode(x), decode, eps),
  };
}

function elbo(x, stats, decode, eps) {
  const [mean, logVar] = tf.split(stats, 2, 1);
  const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps));
  const logits = decode(z);
  const reconstruction = tf.sum(bce(x, logits), 1);
  const kl = tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.exp(logVar), tf.square(mean)), tf.add(1, logVar)), 1));
  return tf.mean(tf.add(reconstruction, kl));
}

/** Binary cross-entropy with logits, stable form: max(l, 0) − l·x + log(1 + e^−|l|). */
function bce(x, logits) {
  return tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
}

const MODELS = { mlp: mlpVae, conv: convVae };

/** Median milliseconds per Adam step on the active backend. */
function stepMs(build, { warmup, steps }) {
  const params = new ParameterStore('bench', 1);
  const model = build(params);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform(model.input, 0, 1, 'float32', 2);
  const variables = params.trainable();
  const times = [];
  for (let i = 0; i < warmup + steps; i++) {
    const start = performance.now();
    const eps = tf.randomNormal([batch, LATENT], 0, 1, 'float32', 3 + i);
    const cost = optimizer.minimize(() => model.loss(x, eps), true, variables);
    cost.dataSync();
    tf.dispose([cost, eps]);
    if (i >= warmup) times.push(performance.now() - start);
  }
  optimizer.dispose();
  x.dispose();
  params.dispose();
  return { describe: model.describe, ms: median(times) };
}

const build = MODELS[args.model];
if (!build)
  throw new Error(`unknown model "${args.model}"; expected one of ${Object.keys(MODELS).join(', ')}`);

const rows = [];
for (const config of args.configs ?? ['wasm', 'cpu']) {
  let result;
  if (config === 'wasm') result = await withBackend('wasm', () => stepMs(build, timing));
  else if (config === 'cpu') result = await withBackend('cpu', () => stepMs(build, cpuTiming));
  else if (config === 'wasm-stock') {
    unregisterWasmKernelPack();
    try {
      result = await withBackend('wasm', () => stepMs(build, timing));
    } finally {
      registerWasmKernelPack();
    }
  } else throw new Error(`unknown config "${config}"; expected wasm, wasm-stock or cpu`);
  rows.push({
    kernel: `train: ${result.describe}`,
    shape: `batch ${batch}`,
    backend:
      config === 'wasm-stock' ? 'wasm (stock kernels)' : config === 'wasm' ? 'wasm (kernel pack)' : 'cpu',
    step_ms: result.ms,
    examples_per_s: (batch * 1000) / result.ms,
  });
}
const cpu = rows.find((r) => r.backend === 'cpu');
if (cpu) for (const row of rows) row.vs_cpu = row.examples_per_s / cpu.examples_per_s;
report(rows);
