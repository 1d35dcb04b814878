/**
 * @genzoo/datasets — the data genzoo models train on: MNIST, Fashion-MNIST, CIFAR-10 and the bundled
 * mnist-10k, read from idx / CIFAR binary files that are found locally or downloaded with checksums, the
 * 2-D toy sets of the flow literature, and seeded transforms (rescaling, static and dynamic binarization,
 * uniform dequantization, validation splits) behind the `Dataset` contract of @genzoo/core.
 */
export type { Batch, BatchOptions, DataSplits, Dataset, DataValues } from '@genzoo/core';
export { batchSeed, countBatches, epochOrder } from './dataset/epoch.js';
export { type DatasetDescription, InMemoryDataset, type InMemoryDatasetInit } from './dataset/in-memory.js';
export { splitValidation, type TrainValidationSplit, type ValidationSize } from './dataset/split.js';
export type { ExampleStore } from './dataset/store.js';
export { CIFAR_RECORD_BYTES, type CifarRecords, parseCifarBatch } from './formats/cifar.js';
export { maybeGunzip } from './formats/gzip.js';
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  type IdxImages,
  parseIdxImages,
  parseIdxLabels,
} from './formats/idx.js';
export { extractTarMembers } from './formats/tar.js';
export { FASHION_MNIST_CONTENT, type IdxContent, MNIST_CONTENT } from './loaders/idx-content.js';
export { type LabelledBytes, readIdxPair } from './loaders/idx-files.js';
export { mnistPackagePath } from './loaders/mnist-package.js';
export {
  type DatasetDefinition,
  defineDataset,
  type LoadContext,
  type SourceStatus,
} from './registry/definition.js';
export { SOURCE_KEYS } from './registry/options.js';
export {
  type DatasetInfo,
  type DatasetSpec,
  datasetSpec,
  getDatasetDefinition,
  type LoadedDataset,
  listDatasets,
  loadDataset,
  parseDatasetOptions,
  registerDataset,
} from './registry/registry.js';
export type { Splits } from './registry/splits.js';
export {
  type Checksum,
  CIFAR10_SOURCE,
  FASHION_MNIST_SOURCE,
  IDX_FILES,
  type IdxFileName,
  MNIST_SOURCE,
  type RemoteFile,
  type SourceSpec,
} from './sources/catalog.js';
export { type DownloadOptions, type DownloadProgress, downloadVerified } from './sources/download.js';
export {
  findSource,
  howToGet,
  type Located,
  type LocateOptions,
  type SearchResult,
} from './sources/locate.js';
export { obtainSource, type SourceOptions } from './sources/obtain.js';
export { TOY_GENERATORS, type ToyGenerator, type ToyModes, type ToySample } from './toy/index.js';
export { dynamicBinarization, staticBinarization } from './transforms/binarize.js';
export { uniformDequantization } from './transforms/dequantize.js';
export { scaleTo } from './transforms/scale.js';
export type { BoundTransform, FixedResult, Transform } from './transforms/transform.js';
