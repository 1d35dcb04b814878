/**
 * Sample quality of a translation model (CycleGAN) on its unpaired test pairs: the translations G(a) of
 * the first n domain-A images against the n real domain-B images, and F(b) against the real A images,
 * both through the reference classifier of the dataset domain A comes from (the `b_to_a_` metrics are the
 * second direction), and the cycle error E|F(G(a)) − a| in the data's units.
 */
import {
  ConfigError,
  type GenerativeModel,
  type TranslationDirection,
  type TranslationModel,
  tf,
} from '@genzoo/core';
import { getDatasetDefinition, InMemoryDataset, type LoadedDataset } from '@genzoo/datasets/node';
import { replaySamples } from './replayed-samples.js';
import type { SamplesScore, ScoreOptions } from './score-samples.js';

/** Examples translated at a time. */
const BATCH = 250;

/** Domain d ∈ {0, 1} of the first n pairs [n, 2, ...domainShape], as host values. */
async function domainValues(pairs: tf.Tensor, domain: number): Promise<Float32Array> {
  const flat = tf.tidy(() => {
    const [n] = pairs.shape;
    // Slicing the 3-D view is far cheaper on wasm than slicing the 5-D pairs.
    return tf.reshape(tf.slice(tf.reshape(pairs, [n, 2, -1]), [0, domain, 0], [n, 1, -1]), [n, -1]);
  });
  const values = (await flat.data()) as Float32Array;
  flat.dispose();
  return values;
}

async function translated(
  model: TranslationModel,
  values: Float32Array,
  n: number,
  direction: TranslationDirection,
): Promise<Float32Array> {
  const shape = model.domainShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n * size);
  for (let start = 0; start < n; start += BATCH) {
    const count = Math.min(BATCH, n - start);
    const y = tf.tidy(() =>
      model.translate(
        tf.tensor(values.subarray(start * size, (start + count) * size), [count, ...shape]),
        direction,
      ),
    );
    out.set((await y.data()) as Float32Array, start * size);
    y.dispose();
  }
  return out;
}

export async function scoreTranslation(
  options: Omit<ScoreOptions, 'test' | 'model'> & {
    model: GenerativeModel & TranslationModel;
    data: LoadedDataset;
    scoreImages: (options: ScoreOptions) => Promise<SamplesScore>;
  },
): Promise<SamplesScore> {
  const { model, data, n, scoreImages, ...rest } = options;
  const base = getDatasetDefinition(options.datasetName).domains?.base;
  if (!base) {
    throw new ConfigError(
      `${options.datasetName} is not a two-domain dataset; a translation model needs one`,
    );
  }
  if (n > data.test.size) throw new ConfigError(`--n ${n} exceeds the ${data.test.size} test pairs`);
  const batch = data.test.getBatch(Int32Array.from({ length: n }, (_, i) => i));
  const [a, b] = [await domainValues(batch.x, 0), await domainValues(batch.x, 1)];
  for (const t of [batch.x, batch.labels, batch.condition]) t?.dispose();
  const shape = model.domainShape;
  const domain = (name: string, examples: Float32Array) =>
    InMemoryDataset.fromArrays({ name, eventShape: shape, examples, values: data.test.values });

  const aToB = await translated(model, a, n, 'A→B');
  const cycle = await translated(model, aToB, n, 'B→A');
  let error = 0;
  for (let i = 0; i < a.length; i++) error += Math.abs(cycle[i] - a[i]);
  const score = (values: Float32Array, real: InMemoryDataset, name: string) =>
    scoreImages({
      ...rest,
      model: replaySamples(name, values, shape),
      datasetName: base,
      test: real,
      n,
    });
  const forward = await score(aToB, domain('domain B', b), `${options.modelName} A→B`);
  const backward = await score(
    await translated(model, b, n, 'B→A'),
    domain('domain A', a),
    `${options.modelName} B→A`,
  );
  return {
    metrics: {
      ...forward.metrics,
      ...Object.fromEntries(
        Object.entries(backward.metrics)
          .filter(([k]) => k !== 'n')
          .map(([k, v]) => [`b_to_a_${k}`, v]),
      ),
      cycle_error: error / a.length,
    },
    classifier: forward.classifier,
  };
}
