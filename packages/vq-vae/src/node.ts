/**
 * @genzoo/vq-vae/node — everything of the main entry, plus what reads files: the `vq-codes` dataset (a
 * VQ-VAE run's code grids of its training data, the data of a prior over codes).
 *
 * Importing this entry registers `vq-codes` with `@genzoo/datasets` (a side effect, once per process).
 */
import { getDatasetDefinition, registerDataset } from '@genzoo/datasets/node';
import { vqCodesDataset } from './codes/dataset.js';

export {
  encodeDataset,
  type VqCodesOptions,
  vqCodesDataset,
  vqCodesOptionsSchema,
  vqVaeCheckpointDir,
  weightsFingerprint,
} from './codes/dataset.js';
export * from './index.js';
export { default } from './index.js';

function registered(name: string): boolean {
  try {
    getDatasetDefinition(name);
    return true;
  } catch {
    return false;
  }
}

// Idempotent: the ESM and CJS builds may both run it.
if (!registered(vqCodesDataset.name)) registerDataset(vqCodesDataset);
