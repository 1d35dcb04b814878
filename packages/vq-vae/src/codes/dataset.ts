/**
 * `vq-codes`: the code grids a trained VQ-VAE assigns to its own training data, as a dataset for a prior
 * over codes (a `pixelcnn` / `gated-pixelcnn` with head `{ kind: 'categorical', values: 'index' }`).
 *
 * Option `run` names a VQ-VAE run folder (holding `checkpoint/`) or a checkpoint folder. The load reads
 * the checkpoint, reloads the dataset the VQ-VAE trained on from the manifest's `run.dataset` spec (its
 * options checked as data, not as a location: this machine's settings say where the data is), and
 * encodes every split to int codes stored as float indices [N, h, w, 1], labels kept (for
 * class-conditional priors). The spec records a fingerprint of the VQ-VAE's weights (their CRC-32 and
 * size), so a run resumed or evaluated after the VQ-VAE changed is refused.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CheckpointManifest, ConfigError, DataError, type Dataset, loadModel } from '@genzoo/core';
import { checkpointDirectory, checkpointExists } from '@genzoo/core/node';
import { datasetSpec, defineDataset, InMemoryDataset, loadDataset } from '@genzoo/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { VqVae } from '../vq-vae/model.js';

export const vqCodesOptionsSchema = z.strictObject({
  /** A VQ-VAE run folder (with `checkpoint/`) or its checkpoint folder. */
  run: z.string().min(1).optional(),
  /** The VQ-VAE weights the codes were made with (`crc32-bytes`), recorded by the first load. */
  fingerprint: z.string().min(1).optional(),
  /** Examples encoded per batch. */
  batchSize: z.number().int().positive().default(256),
});
export type VqCodesOptions = z.output<typeof vqCodesOptionsSchema>;

/** The checkpoint folder of a run folder or of a checkpoint folder itself. */
export function vqVaeCheckpointDir(run: string): string {
  const nested = join(run, 'checkpoint');
  if (checkpointExists(nested)) return nested;
  if (checkpointExists(run)) return run;
  throw new ConfigError(
    `vq-codes: no VQ-VAE checkpoint in ${run} (expected ${join(nested, 'manifest.json')})` +
      (existsSync(run) ? '' : ': the folder does not exist'),
  );
}

/** The fingerprint of a checkpoint's weights: their CRC-32 (hex) and byte length. */
export function weightsFingerprint(manifest: CheckpointManifest): string {
  return `${manifest.weights.crc32.toString(16).padStart(8, '0')}-${manifest.weights.byteLength}`;
}

function isVqVae(model: unknown): model is VqVae {
  const m = model as Partial<VqVae>;
  return (
    typeof m.encodeCodes === 'function' && Array.isArray(m.codeShape) && typeof m.codebookSize === 'number'
  );
}

/** Every example of `data` as codes: float indices [N · h · w] and the labels when there are any. */
export function encodeDataset(
  vqvae: VqVae,
  data: Dataset,
  batchSize = 256,
): { codes: Float32Array; labels?: Int32Array } {
  const [h, w] = vqvae.codeShape;
  const codes = new Float32Array(data.size * h * w);
  const labels = data.numClasses !== undefined ? new Int32Array(data.size) : undefined;
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, data.size - start) }, (_, i) => start + i);
    // A fixed seed: dequantization noise (if any) is the same on every load, so the codes are too.
    const batch = data.getBatch(indices, { seed: 0 });
    try {
      const grid = tf.tidy(() => tf.cast(vqvae.encodeCodes(batch.x), 'float32'));
      codes.set(grid.dataSync(), start * h * w);
      grid.dispose();
      if (labels && batch.labels) labels.set(batch.labels.dataSync(), start);
    } finally {
      batch.x.dispose();
      batch.labels?.dispose();
      batch.condition?.dispose();
    }
  }
  return { codes, labels };
}

export const vqCodesDataset = defineDataset({
  name: 'vq-codes',
  description: "a VQ-VAE run's code grids of its training data (run): the data of a prior over codes",
  optionsSchema: vqCodesOptionsSchema,
  // `run` is kept in the spec (a resumed prior needs it), checked by the weights' fingerprint.
  sourceKeys: ['offline', 'cacheDir'],
  // The grid and K depend on the checkpoint.
  eventShape: () => [],
  source: () => ({ found: true, where: 'a VQ-VAE run (the run option)' }),
  async load(options) {
    if (!options.run)
      throw new ConfigError('vq-codes needs the run option: a VQ-VAE run folder (data.run=…)');
    const dir = vqVaeCheckpointDir(options.run);
    const { model, manifest } = await loadModel(checkpointDirectory(dir));
    try {
      if (!isVqVae(model)) {
        throw new ConfigError(`vq-codes: ${dir} holds a ${manifest.model.name} model, not a VQ-VAE`);
      }
      const found = weightsFingerprint(manifest);
      if (options.fingerprint !== undefined && options.fingerprint !== found) {
        throw new DataError(
          `vq-codes: the VQ-VAE in ${dir} changed since its codes were recorded (fingerprint ` +
            `${options.fingerprint}, now ${found}); load it without the fingerprint option to use it as new data`,
        );
      }
      const trained = (manifest.run as { dataset?: { name?: unknown; options?: unknown } }).dataset;
      if (typeof trained?.name !== 'string') {
        throw new ConfigError(`vq-codes: the checkpoint in ${dir} does not name the dataset it trained on`);
      }
      // The manifest's options describe the data, never where it is: datasetSpec drops location keys.
      const spec = datasetSpec(trained.name, trained.options ?? {});
      const images = await loadDataset(spec.name, spec.options);
      const [h, w] = model.codeShape;
      const K = model.codebookSize;
      const split = (data: Dataset | undefined, part: string) => {
        if (!data) return undefined;
        const { codes, labels } = encodeDataset(model, data, options.batchSize);
        return InMemoryDataset.fromArrays({
          name: `vq-codes/${part}`,
          eventShape: [h, w, 1],
          examples: codes,
          ...(labels ? { labels, numClasses: data.numClasses } : {}),
          values: { kind: 'continuous', range: [0, K - 1], levels: K },
        });
      };
      return {
        train: split(images.train, 'train')!,
        test: split(images.test, 'test')!,
        ...(images.validation ? { validation: split(images.validation, 'validation') } : {}),
        recorded: { run: options.run, fingerprint: found },
      };
    } finally {
      model.dispose();
    }
  },
});
