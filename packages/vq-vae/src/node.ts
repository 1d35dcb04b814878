/**
 * @genzoo/vq-vae/node — everything of the main entry, plus what reads files: the `vq-codes` dataset (a
 * VQ-VAE run's code grids of its training data, the data of a prior over codes), and the reader of VQ-VAE
 * checkpoint folders the two-stage model (`vq-vae-prior`, option `vqvae`) needs.
 *
 * Importing this entry registers `vq-codes` with `@genzoo/datasets` and installs that reader (side effects,
 * once per process).
 */
import { getDatasetDefinition, registerDataset } from '@genzoo/datasets/node';
import { vqCodesDataset } from './codes/dataset.js';
import { readVqVaeCheckpoint } from './codes/reader.js';
import { setVqVaeReader } from './two-stage/source.js';

export {
  encodeDataset,
  type VqCodesOptions,
  vqCodesDataset,
  vqCodesOptionsSchema,
  vqVaeCheckpointDir,
  weightsFingerprint,
} from './codes/dataset.js';
export { readVqVaeCheckpoint } from './codes/reader.js';
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
// The two-stage model (`vq-vae-prior`) reads its `vqvae` folder with this.
setVqVaeReader(readVqVaeCheckpoint);
