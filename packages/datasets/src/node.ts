/**
 * @genzoo/datasets/node — everything of the main entry, plus what reads files: MNIST, Fashion-MNIST,
 * CIFAR-10 and the bundled mnist-10k (found locally or downloaded with checksums), and the user's own
 * data: `image-folder` (PNG/JPEG), `csv` and `npy`, in memory or streamed from disk.
 *
 * Importing this entry registers those datasets by name (a side effect), after the toy sets the main
 * entry registers, in one process-wide table: `loadDataset('mnist')` works once anything has imported it.
 */

import { USER_DATASETS } from './node/user-datasets.js';
import { FILE_DATASETS } from './registry/builtin.js';
import { registerBuiltinDatasets } from './registry/registry.js';

export { maybeGunzip } from './formats/gunzip-node.js';
export * from './index.js';
export { FASHION_MNIST_CONTENT, type IdxContent, MNIST_CONTENT } from './loaders/idx-content.js';
export { readIdxPair } from './loaders/idx-files.js';
export { mnistPackagePath } from './loaders/mnist-package.js';
export { loadCsvFile } from './node/csv-file.js';
export { decodeImage } from './node/decode.js';
export { loadImageFolder } from './node/image-folder.js';
export { loadNpyFile } from './node/npy-file.js';
export { downloadVerified } from './sources/download.js';
export { findSource, howToGet } from './sources/locate.js';
export { obtainSource, type SourceOptions } from './sources/obtain.js';

registerBuiltinDatasets(FILE_DATASETS, USER_DATASETS);
