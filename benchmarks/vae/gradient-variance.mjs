// The variance of the encoder gradient under the reparameterization and score-function estimators, on
// the same batch and the same parameters (the estimator comparison).
//
//   node vae/gradient-variance.mjs '{"model":"vae","recipe":"fashion-mnist","trainSteps":200,"repeats":50}'
//
// The model is built from its benchmark recipe and trained `trainSteps` steps on binarized Fashion-MNIST
// (a gradient at initialization says little about training), then the encoder gradient of its training
// loss is drawn `repeats` times on one fixed batch of 128 with each estimator. Reported per estimator:
// the per-element gradient variance averaged over the encoder, the mean squared gradient (the signal), and
// the variance relative to the reparameterization gradient's.

import { initBackend } from '@genzoo/backends';
import { createModel, defaultRegistry, registerPlugin, Trainer, tf, trainConfigSchema } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { encoderGradientVariance, vaePlugin } from '@genzoo/vae';

const args = JSON.parse(process.argv[2] ?? '{}');
const { model: name = 'vae', recipe: recipeName = 'fashion-mnist', trainSteps = 200, repeats = 50 } = args;
const backend = await initBackend({ quiet: true });
registerPlugin(vaePlugin);
const { definition } = defaultRegistry.get(name);
const recipe = definition.reproduce.find((r) => r.name === recipeName);
if (!recipe) throw new Error(`${name} has no recipe ${recipeName}`);

const data = await loadDataset(recipe.dataset, recipe.datasetOptions);
const model = createModel(name, recipe.config, {
  eventShape: data.train.eventShape,
  numClasses: data.train.numClasses,
  seed: 0,
});
const start = performance.now();
const { examplesPerSecond } = await new Trainer({
  model,
  modelRef: { name, plugin: vaePlugin },
  train: data.train,
  config: trainConfigSchema.parse({ ...recipe.train, epochs: undefined, steps: trainSteps, seed: 0 }),
}).run();
const trainSeconds = (performance.now() - start) / 1000;

// One fixed training batch (binarized once, with a fixed seed) for every draw of both estimators.
const batch = data.train.getBatch(
  Array.from({ length: 128 }, (_, i) => i),
  { seed: 1 },
);
const rows = [];
let reference;
for (const estimator of ['reparameterization', 'score-function']) {
  const t = performance.now();
  const result = encoderGradientVariance(model, batch, { estimator, repeats, seed: 0 });
  let sumSquares = 0;
  let count = 0;
  for (const mean of Object.values(result.mean)) {
    for (const m of mean) sumSquares += m * m;
    count += mean.length;
  }
  reference ??= result.meanVariance;
  rows.push({
    model: name,
    recipe: recipeName,
    dataset: recipe.dataset,
    estimator,
    repeats,
    train_steps: trainSteps,
    encoder_grad_variance: result.meanVariance,
    encoder_grad_mean_sq: sumSquares / count,
    variance_vs_reparameterization: result.meanVariance / reference,
    seconds: (performance.now() - t) / 1000,
    examples_per_second: examplesPerSecond,
    backend: backend.name,
  });
}
tf.dispose([batch.x, batch.labels, batch.condition].filter(Boolean));
model.dispose();
console.error(`trained ${trainSteps} steps in ${trainSeconds.toFixed(1)} s`);
console.log(JSON.stringify({ rows }));
