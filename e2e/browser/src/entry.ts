/**
 * The browser app of the browser proof (test/browser.test.ts bundles it with esbuild for the browser and
 * loads it in headless Chromium). It imports genzoo as an app would — core, datasets, backends and four
 * model families — and exposes `window.genzooProof(backend, wasmBase)`: for each family it builds data in
 * memory, creates a tiny model through the registry, trains it a few steps, samples, saves the checkpoint
 * bytes, loads them back (from memory and from IndexedDB), resumes a half-trained run from IndexedDB, and
 * reports what happened as JSON. `window.genzooWrongWasm(base)` asks for wasm with a wrong wasmPaths.
 */
import { autoregressivePlugin } from '@genzoo/autoregressive';
import { initBackend } from '@genzoo/backends';
import {
  BackendError,
  type CheckpointFile,
  type Dataset,
  defaultRegistry,
  type GenerativeModel,
  indexedDbCheckpointStorage,
  loadModel,
  memoryCheckpointStorage,
  registerPlugin,
  Trainer,
  type TrainerCallback,
  tf,
  trainConfigSchema,
} from '@genzoo/core';
import { datasetFromArrays } from '@genzoo/datasets';
import { flowsPlugin } from '@genzoo/flows';
import { ganPlugin } from '@genzoo/gan';
import { vaePlugin } from '@genzoo/vae';
import { vqVaePlugin } from '@genzoo/vq-vae';

for (const plugin of [vaePlugin, flowsPlugin, autoregressivePlugin, ganPlugin, vqVaePlugin]) {
  if (!defaultRegistry.listPlugins().some((p) => p.name === plugin.name)) registerPlugin(plugin);
}

/** Steps of the full run; the resume check trains half of them, saves to IndexedDB and resumes. */
const STEPS = 6;
const HALF = 3;
const BATCH = 16;
/** The seed models are created with (recorded in the checkpoint through the Trainer's modelRef). */
const MODEL_SEED = 5;

export interface FamilyReport {
  family: string;
  model: string;
  likelihood: string;
  eventShape: number[];
  trainExamples: number;
  /** The training loss(es) of the first and the last step, by metric name. */
  lossFirst: Record<string, number>;
  lossLast: Record<string, number>;
  /** Mean −log p(x) (or −ELBO) of the training examples before and after training; null without one. */
  nllBefore: number | null;
  nllAfter: number | null;
  /** Largest change of any weight during training. */
  maxWeightChange: number;
  sampleShape: number[];
  samplesFinite: boolean;
  /** Bytes of each checkpoint file. */
  checkpointBytes: Record<string, number>;
  /** max |a − b| between the trained and the loaded model: samples of the same seed, and likelihoods. */
  loadedSampleDiff: number;
  loadedLikelihoodDiff: number | null;
  /** The same, loaded from IndexedDB (the bytes written there and read back). */
  indexedDbSampleDiff: number;
  indexedDbLikelihoodDiff: number | null;
  indexedDbLocation: string;
  /** max |a − b| of the weights: STEPS straight vs HALF, saved to IndexedDB, resumed to STEPS. */
  resumeWeightDiff: number;
  resumedFromStep: number;
  tensorsBefore: number;
  tensorsAfter: number;
  /** Live tensors after each phase, for finding a leak. */
  tensorTrace: Record<string, number>;
  seconds: number;
}

export interface ProofReport {
  backend: { name: string; tfName: string; simd: boolean; threads: boolean; kernelPack: string[] };
  activeBackend: string;
  userAgent: string;
  families: FamilyReport[];
  seconds: number;
}

declare global {
  interface Window {
    genzooProof(backend: 'wasm' | 'cpu', wasmBase: string): Promise<ProofReport>;
    /** `name`: BackendError when `instanceof BackendError` holds; `errorName`: the error's own `name`. */
    genzooWrongWasm(
      wasmBase: string,
    ): Promise<{ name: string; errorName?: string; message: string; backend?: string }>;
    genzooReady: boolean;
  }
}

/** A small seeded generator (mulberry32), so the data is the same on every backend and every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 80 grey 8×8 images with structure (a bright bar whose row depends on the example, plus noise). */
function greyImages(): { values: Uint8Array; shape: number[] } {
  const rand = random(1);
  const n = 80;
  const values = new Uint8Array(n * 64);
  for (let i = 0; i < n; i++) {
    const row = i % 4;
    for (let p = 0; p < 64; p++) {
      const onBar = Math.floor(p / 8) === row * 2 || p % 8 === row * 2;
      values[i * 64 + p] = Math.round(255 * Math.min(1, (onBar ? 0.85 : 0.1) + 0.1 * rand()));
    }
  }
  return { values, shape: [n, 8, 8] };
}

/** 80 correlated 4-D vectors. */
function vectors(): { values: Float32Array; shape: number[] } {
  const rand = random(2);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const n = 80;
  const values = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const a = gauss();
    const b = gauss();
    values.set([a, 0.8 * a + 0.3 * b, Math.tanh(b), 0.5 * a - b + 0.1 * gauss()], i * 4);
  }
  return { values, shape: [n, 4] };
}

interface FamilyCase {
  family: string;
  model: string;
  config: Record<string, unknown>;
  data: () => Dataset;
}

const CASES: FamilyCase[] = [
  {
    family: '@genzoo/vae',
    model: 'vae',
    config: { latentDim: 2, network: { kind: 'mlp', hidden: [16] } },
    data: () =>
      datasetFromArrays({ name: 'bars', ...greyImages() }, { binarize: 'static', test: { count: 16 } }).train,
  },
  {
    family: '@genzoo/flows',
    model: 'realnvp',
    config: { couplings: 2, hidden: [16] },
    data: () => datasetFromArrays({ name: 'vectors', ...vectors() }, { test: { count: 16 } }).train,
  },
  {
    family: '@genzoo/autoregressive',
    model: 'made',
    config: { hidden: [32] },
    data: () =>
      datasetFromArrays(
        { name: 'bars', ...greyImages() },
        { binarize: 'static', flatten: true, test: { count: 16 } },
      ).train,
  },
  {
    family: '@genzoo/gan',
    model: 'gan',
    config: {
      latentDim: 4,
      network: { kind: 'mlp', generatorHidden: [16], discriminatorHidden: [16] },
      output: 'linear',
    },
    data: () => datasetFromArrays({ name: 'vectors', ...vectors() }, { test: { count: 16 } }).train,
  },
  {
    family: '@genzoo/vq-vae',
    model: 'vq-vae',
    // 8×8 images → a 2×2 grid of codes from a codebook of 8.
    config: {
      codebookSize: 8,
      codeDim: 4,
      hidden: [8, 8],
      residualBlocks: 1,
      residualChannels: 8,
      decoder: { kind: 'bernoulli' },
    },
    data: () =>
      datasetFromArrays({ name: 'bars', ...greyImages() }, { binarize: 'static', test: { count: 16 } }).train,
  },
];

function trainConfig(steps: number) {
  return trainConfigSchema.parse({
    steps,
    batchSize: BATCH,
    seed: 3,
    optimizer: { name: 'adam', learningRate: 1e-2 },
    logEvery: 1,
  });
}

/** All training examples as one tensor (the caller disposes it). */
function allExamples(data: Dataset): tf.Tensor {
  const batch = data.getBatch(
    Array.from({ length: data.size }, (_, i) => i),
    { seed: 0 },
  );
  batch.labels?.dispose();
  batch.condition?.dispose();
  return batch.x;
}

/** Per-example log-likelihood (exact, or the ELBO with a fixed seed), or null for models without one. */
function logLikelihood(model: GenerativeModel, x: tf.Tensor): Float32Array | null {
  const { likelihood } = model;
  if (likelihood.kind === 'none') return null;
  const values = likelihood.kind === 'exact' ? likelihood.logProb(x) : likelihood.lowerBound(x, { seed: 11 });
  try {
    return values.dataSync() as Float32Array;
  } finally {
    values.dispose();
  }
}

function meanNll(values: Float32Array | null): number | null {
  if (values === null) return null;
  let sum = 0;
  for (const v of values) sum -= v;
  return sum / values.length;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return Number.isNaN(max) ? Number.POSITIVE_INFINITY : max;
}

function weights(model: GenerativeModel): Map<string, Float32Array> {
  return new Map(
    Object.entries(model.variables()).map(([key, v]) => [
      key,
      Float32Array.from(v.dataSync() as ArrayLike<number>),
    ]),
  );
}

function maxWeightDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  if (a.size !== b.size) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (const [key, values] of a) {
    const other = b.get(key);
    max = Math.max(max, other ? maxAbsDiff(values, other) : Number.POSITIVE_INFINITY);
  }
  return max;
}

function sampleValues(model: GenerativeModel): { shape: number[]; values: Float32Array } {
  const samples = model.sample(8, { seed: 7 });
  try {
    return { shape: samples.shape, values: samples.dataSync() as Float32Array };
  } finally {
    samples.dispose();
  }
}

function lossesOf(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([key]) => key.endsWith('loss')));
}

async function clearDatabase(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}

async function proveFamily(c: FamilyCase, database: string): Promise<FamilyReport> {
  const start = performance.now();
  const tensorsBefore = tf.memory().numTensors;
  const trace: Record<string, number> = {};
  const mark = (phase: string) => {
    trace[phase] = tf.memory().numTensors;
  };
  const train = c.data();
  mark('data');
  const model = defaultRegistry.createModel(c.model, c.config, {
    eventShape: train.eventShape,
    numClasses: train.numClasses,
    seed: MODEL_SEED,
  });
  const disposeLater: GenerativeModel[] = [model];
  const x = allExamples(train);
  try {
    const modelRef = { name: c.model, plugin: defaultRegistry.get(c.model).plugin, seed: MODEL_SEED };
    const nllBefore = meanNll(logLikelihood(model, x));
    mark('created');
    const initial = weights(model);
    const steps: Record<string, number>[] = [];
    const record: TrainerCallback = { onStepEnd: (_step, metrics) => void steps.push(metrics) };

    const storage = memoryCheckpointStorage();
    await new Trainer({
      model,
      modelRef,
      train,
      config: trainConfig(STEPS),
      checkpoints: storage,
      callbacks: [record],
    }).run();
    const trained = weights(model);
    mark('trained');
    const likelihood = logLikelihood(model, x);
    const samples = sampleValues(model);

    // The bytes a browser app would offer as downloads, loaded back as if a user picked them.
    const files = storage.files;
    if (!files) throw new Error(`${c.model}: the trainer wrote no checkpoint`);
    const copied: CheckpointFile[] = [...files].map(([name, bytes]) => [name, bytes.slice()]);
    const loaded = (await loadModel(memoryCheckpointStorage({ files: copied }))).model;
    disposeLater.push(loaded);
    const loadedSamples = sampleValues(loaded);
    const loadedLikelihood = logLikelihood(loaded, x);
    mark('loaded');

    // The same bytes through IndexedDB (structured clone into the database, read back).
    const idb = indexedDbCheckpointStorage({ database, key: `${c.model}/trained` });
    await idb.write([...files]);
    const fromDb = (await loadModel(idb)).model;
    disposeLater.push(fromDb);
    const dbSamples = sampleValues(fromDb);
    const dbLikelihood = logLikelihood(fromDb, x);
    mark('indexeddb');

    // Exact resume through IndexedDB: HALF steps, saved there, resumed to STEPS.
    const half = defaultRegistry.createModel(c.model, c.config, {
      eventShape: train.eventShape,
      numClasses: train.numClasses,
      seed: MODEL_SEED,
    });
    disposeLater.push(half);
    const resumeStorage = indexedDbCheckpointStorage({ database, key: `${c.model}/half` });
    await new Trainer({
      model: half,
      modelRef,
      train,
      config: trainConfig(HALF),
      checkpoints: resumeStorage,
    }).run();
    const resumed = await Trainer.resume(resumeStorage, { train, steps: STEPS, onWarning: () => undefined });
    disposeLater.push(resumed.model);
    const resumedFromStep = resumed.currentStep;
    await resumed.run();
    const resumeWeightDiff = maxWeightDiff(trained, weights(resumed.model));
    mark('resumed');

    const diff = (a: Float32Array | null, b: Float32Array | null) =>
      a === null || b === null ? null : maxAbsDiff(a, b);
    const report: Omit<FamilyReport, 'tensorsAfter' | 'seconds'> = {
      family: c.family,
      model: c.model,
      likelihood: model.likelihood.kind,
      eventShape: [...train.eventShape],
      trainExamples: train.size,
      lossFirst: lossesOf(steps[0] ?? {}),
      lossLast: lossesOf(steps[steps.length - 1] ?? {}),
      nllBefore,
      nllAfter: meanNll(likelihood),
      maxWeightChange: maxWeightDiff(initial, trained),
      sampleShape: samples.shape,
      samplesFinite: samples.values.every(Number.isFinite),
      checkpointBytes: Object.fromEntries([...files].map(([name, bytes]) => [name, bytes.byteLength])),
      loadedSampleDiff: maxAbsDiff(samples.values, loadedSamples.values),
      loadedLikelihoodDiff: diff(likelihood, loadedLikelihood),
      indexedDbSampleDiff: maxAbsDiff(samples.values, dbSamples.values),
      indexedDbLikelihoodDiff: diff(likelihood, dbLikelihood),
      indexedDbLocation: idb.location,
      resumeWeightDiff,
      resumedFromStep,
      tensorsBefore,
      tensorTrace: trace,
    };
    x.dispose();
    for (const m of disposeLater.splice(0)) m.dispose();
    return { ...report, tensorsAfter: tf.memory().numTensors, seconds: (performance.now() - start) / 1000 };
  } finally {
    if (!x.isDisposed) x.dispose();
    for (const m of disposeLater) m.dispose();
  }
}

window.genzooProof = async (backend, wasmBase) => {
  const start = performance.now();
  const info = await initBackend({ force: backend, wasmPaths: wasmBase, quiet: true });
  const database = `genzoo-e2e-${backend}`;
  await clearDatabase(database);
  const families: FamilyReport[] = [];
  for (const c of CASES) families.push(await proveFamily(c, database));
  return {
    backend: {
      name: info.name,
      tfName: info.tfName,
      simd: info.simd,
      threads: info.threads,
      kernelPack: [...info.kernelPack],
    },
    activeBackend: tf.getBackend(),
    userAgent: navigator.userAgent,
    families,
    seconds: (performance.now() - start) / 1000,
  };
};

window.genzooWrongWasm = async (wasmBase) => {
  try {
    const info = await initBackend({ force: 'wasm', wasmPaths: wasmBase, quiet: true });
    return { name: 'none', message: 'initBackend succeeded', backend: info.name };
  } catch (error) {
    return {
      name:
        error instanceof BackendError ? 'BackendError' : error instanceof Error ? error.name : typeof error,
      errorName: error instanceof Error ? error.name : undefined,
      message: error instanceof Error ? error.message : String(error),
      backend: tf.getBackend() ?? undefined,
    };
  }
};

window.genzooReady = true;
