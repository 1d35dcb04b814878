// Runs the PyTorch reference of a first stage (pytorch_vqvae.py for `vq-vae`, pytorch_vqvae2.py for
// `vq-vae-2`) as the twin of one genzoo run: from genzoo's initial weights and on genzoo's very training
// batches. `genzoo train <model> --recipe <name> [--quick] --seed s`
// creates its model through the registry with the run's seed and trains on the Trainer's BatchStream of
// that seed (core's runRecipe); this runner does the same two things without training — it creates the
// model the same way and reads the same stream — and hands the weights and the batches (dequantized, in
// order) to the script. The two trainings then differ only in float32 rounding, which at a shared start
// leaves far less room than a different seed does (vq-vae-seeds measures both).
//
// The script evaluates on the test values genzoo's evaluation feeds its models (as pytorch-vqvae.mjs's
// runs do) and logs the means of its training metrics as often as genzoo's metrics.jsonl does. With
// `genzooRun` (that genzoo run's folder), the twin's row also says how closely the two trainings went
// together: `twin_start_loss_gap`, the relative difference of the first logged mean loss (about float32
// rounding when both did start from the same weights and batches), and `twin_apart_at`, the first logged
// step whose mean loss differs by more than 1%. It writes `twin.png` (the loss, code perplexities and codes
// used of both trainings against the step) and `trajectories.json` into `out`.
//
//   node reference/pytorch-vqvae-twin.mjs '{"recipe":"vq-vae/mnist-10k","quick":true,"seed":0,"genzooRun":…,"out":…,"flags":{…}}'
//   (optional: "steps", "batchSize", "evalLimit", "logEvery", as the genzoo run's flags set them)
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@genzoo/backends';
import { BatchStream, createModel, deriveSeed, registerPlugin, resolveRecipe, tf } from '@genzoo/core';
import { loadDataset } from '@genzoo/datasets/node';
import { linePlotPng, sideBySide, writePng } from '@genzoo/pictures/node';
import { vqVaePlugin } from '@genzoo/vq-vae';
import { requirePytorch, runReferenceScript } from './python.mjs';
import { evaluatedValues } from './splits.mjs';
import { TensorFolder } from './tensor-folder.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
requirePytorch();
await initBackend({ quiet: true });
registerPlugin(vqVaePlugin);

/** Each first stage's reference script (the same twin flags in both). */
const SCRIPTS = { 'vq-vae': 'pytorch_vqvae.py', 'vq-vae-2': 'pytorch_vqvae2.py' };
/** genzoo's metric name in the script's trace: perplexityTop → perplexity_top. */
const traced = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** A relative difference of the mean loss beyond which the two trainings count as apart. */
const APART = 0.01;

const [model, recipe] = spec.recipe.split('/');
if (!Object.hasOwn(SCRIPTS, model))
  throw new Error(`no twin for ${model}: ${Object.keys(SCRIPTS).join(', ')}`);
// The run's settings as `genzoo train <model> --recipe <name> [--quick] --seed s` resolves them, and as
// its --steps, --batch, --eval-limit and --set train.logEvery=… would change them (`steps`, `batchSize`,
// `evalLimit`, `logEvery`: a short run's twin).
const resolved = resolveRecipe({
  model,
  recipe,
  quick: Boolean(spec.quick),
  seed: spec.seed,
  steps: spec.steps,
  batchSize: spec.batchSize,
  evaluation: spec.evalLimit === undefined ? undefined : { limit: spec.evalLimit },
  set: spec.logEvery === undefined ? [] : [{ path: ['train', 'logEvery'], value: spec.logEvery }],
});
const { steps, batchSize, seed } = resolved.train;
if (steps === undefined) throw new Error(`${spec.recipe}: the twin runner needs a recipe with steps`);
const data = await loadDataset(resolved.dataset, resolved.datasetOptions);
const { eventShape } = data.train;
const scratch = mkdtempSync(join(tmpdir(), 'genzoo-vqvae-twin-'));

/**
 * The run's initial variables: the model as runRecipe creates it, then initialized as the Trainer does
 * before its first step (a data-dependent codebook from the stream's first batch; a no-op otherwise).
 */
function writeInitialWeights(folder, stream) {
  const vq = createModel(model, resolved.config, {
    eventShape,
    numClasses: data.train.numClasses,
    seed,
  });
  try {
    if (vq.initialize) {
      const first = stream.peek();
      tf.tidy(() => vq.initialize(first.x, deriveSeed(seed, 'initialize')));
      tf.dispose([first.x, first.labels, first.condition].filter(Boolean));
    }
    const tensors = new TensorFolder();
    for (const [key, v] of Object.entries(vq.variables())) tensors.put(`param/${key}`, v);
    tensors.write(folder, { model });
  } finally {
    vq.dispose();
  }
}

/**
 * The first `steps` batches of the Trainer's stream, as float32 [steps · B, dims], written batch by batch (a
 * full budget's batches are gigabytes).
 */
function writeBatches(path, stream) {
  const batch = stream.batchSize;
  const file = openSync(path, 'w');
  try {
    for (let step = 0; step < steps; step++) {
      const next = stream.next();
      const values = next.x.dataSync();
      writeSync(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      tf.dispose([next.x, next.labels, next.condition].filter(Boolean));
    }
  } finally {
    closeSync(file);
  }
  return batch;
}

/** Both trainings' logged means by step, and how closely they went together. */
function compareTrajectories(trace) {
  const metricsPath = spec.genzooRun && join(spec.genzooRun, 'metrics.jsonl');
  if (!metricsPath || !existsSync(metricsPath)) return { trajectories: { pytorch: trace } };
  const genzoo = readFileSync(metricsPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.kind === 'train')
    .map((entry) => ({
      step: entry.step,
      ...Object.fromEntries(
        Object.entries(entry.metrics)
          .map(([name, value]) => [traced(name), value])
          .filter(([name]) => Object.hasOwn(trace[0], name)),
      ),
    }));
  const byStep = new Map(trace.map((t) => [t.step, t]));
  const gaps = genzoo
    .filter((g) => byStep.has(g.step))
    .map((g) => ({ step: g.step, gap: Math.abs(byStep.get(g.step).loss - g.loss) / Math.abs(g.loss) }));
  if (gaps.length === 0) throw new Error(`${metricsPath}: no logged step in common with the twin's trace`);
  return {
    trajectories: { genzoo, pytorch: trace },
    twin_start_loss_gap: gaps[0].gap,
    twin_start_step: gaps[0].step,
    twin_apart_at: gaps.find((g) => g.gap > APART)?.step ?? null,
  };
}

/** The loss, each code perplexity and each count of codes used of both trainings against the step, side by side. */
function writeTwinPicture(path, trajectories) {
  const panel = (name, title) =>
    linePlotPng(
      Object.entries(trajectories).map(([who, points]) => ({
        name: who === 'pytorch' ? 'PyTorch twin' : 'genzoo',
        points: points.map((p) => [p.step, p[name]]),
      })),
      { title, xLabel: 'step', width: 420, height: 300 },
    );
  const codes = Object.keys(trajectories.pytorch[0]).filter((name) => /^(perplexity|codes_used)/.test(name));
  writePng(
    path,
    sideBySide([
      panel('loss', `training loss (mean of ${resolved.train.logEvery} steps)`),
      ...codes.map((name) => panel(name, name.replace(/_/g, ' '))),
    ]),
  );
}

try {
  const files = {
    weights: join(scratch, 'weights'),
    batches: join(scratch, 'batches.f32'),
    test: join(scratch, 'test.f32'),
    trace: join(scratch, 'trace.jsonl'),
  };
  // The Trainer's stream: the batch clipped to the training set, as runRecipe does.
  const stream = new BatchStream(data.train, Math.min(batchSize, data.train.size), seed);
  writeInitialWeights(files.weights, stream);
  const batch = writeBatches(files.batches, stream);
  writeFileSync(
    files.test,
    new Uint8Array((await evaluatedValues(data.test, seed, resolved.evaluation?.limit)).buffer),
  );
  const result = runReferenceScript(SCRIPTS[model], {
    ...spec.flags,
    'test-file': files.test,
    shape: eventShape.join(','),
    levels: data.train.values.levels ?? 256,
    'vq-steps': steps,
    'vq-batch': batch,
    'prior-steps': 0,
    'start-from': files.weights,
    'batches-file': files.batches,
    'trace-out': files.trace,
    'trace-every': resolved.train.logEvery,
    seed,
  });
  const trace = readFileSync(files.trace, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const { trajectories, ...together } = compareTrajectories(trace);
  mkdirSync(spec.out, { recursive: true });
  writeFileSync(join(spec.out, 'trajectories.json'), `${JSON.stringify(trajectories, null, 1)}\n`);
  writeTwinPicture(join(spec.out, 'twin.png'), trajectories);
  console.log(
    JSON.stringify({
      rows: [
        {
          ...result.vqvae,
          ...together,
          model,
          recipe,
          dataset: resolved.dataset,
          seed,
          files: { twin: join(spec.out, 'twin.png') },
        },
      ],
    }),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
