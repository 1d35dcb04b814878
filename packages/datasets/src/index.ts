/**
 * @genzoo/datasets — the data genzoo models train on, behind the `Dataset` contract of @genzoo/core. This
 * main entry is platform-neutral (browsers, workers, Node): datasets in memory, seeded epochs, splits and
 * transforms (rescaling, static and dynamic binarization, uniform dequantization), parsers of idx, CIFAR,
 * tar, .npy and CSV bytes, the 2-D toy sets of the flow literature, the dataset registry, and the user's
 * own data from arrays, CSV text, .npy bytes and picked image files.
 *
 * `@genzoo/datasets/node` adds what reads files: MNIST, Fashion-MNIST, CIFAR-10 and the bundled mnist-10k
 * (found locally or downloaded with checksums) and the user-data sets `image-folder`, `csv` and `npy`,
 * which importing it registers.
 */
export type { Batch, BatchOptions, DataSplits, Dataset, DataValues } from '@genzoo/core';
export { batchSeed, countBatches, epochOrder } from './dataset/epoch.js';
export { type DatasetDescription, InMemoryDataset, type InMemoryDatasetInit } from './dataset/in-memory.js';
export { splitValidation, type TrainValidationSplit, type ValidationSize } from './dataset/split.js';
export type { ExampleStore, RowSource } from './dataset/store.js';
export { CIFAR_RECORD_BYTES, type CifarRecords, parseCifarBatch } from './formats/cifar.js';
export { type CsvLayout, type CsvOptions, type CsvTable, parseCsvText } from './formats/csv.js';
export { isGzip, maybeGunzipAsync } from './formats/gzip.js';
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  type IdxImages,
  parseIdxImages,
  parseIdxLabels,
} from './formats/idx.js';
export { decodeNpyElements, type NpyArray, type NpyHeader, parseNpy, parseNpyHeader } from './formats/npy.js';
export {
  type ImageInfo,
  imageInfo,
  type PixelLayout,
  type ResizeMethod,
  type RgbaImage,
  toPixels,
} from './formats/pixels.js';
export { extractTarMembers } from './formats/tar.js';
export type { LabelledBytes } from './loaders/idx-files.js';
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
export type { ImageRows, Splits } from './registry/splits.js';
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
export type { DownloadOptions, DownloadProgress } from './sources/download.js';
export type { Located, LocateOptions, LookedAt, SearchResult } from './sources/locate.js';
export { TOY_GENERATORS, type ToyGenerator, type ToyModes, type ToySample } from './toy/index.js';
export { dynamicBinarization, staticBinarization } from './transforms/binarize.js';
export { uniformDequantization } from './transforms/dequantize.js';
export { scaleTo } from './transforms/scale.js';
export type { BoundTransform, FixedResult, Transform } from './transforms/transform.js';
export {
  type ArraysInit,
  canvasDecoder,
  datasetFromArrays,
  datasetFromCsvText,
  datasetFromImageFiles,
  datasetFromNpy,
  type ImageDecoder,
  type ImageFilesExtra,
} from './user/browser.js';
export {
  type ArraysInput,
  arraysOptionsSchema,
  type CsvFileOptions,
  type CsvTextInput,
  csvOptionsSchema,
  csvTextOptionsSchema,
  DEFAULT_MAX_IN_MEMORY_BYTES,
  type ImageFilesInput,
  type ImageFolderOptions,
  imageFilesOptionsSchema,
  imageFolderOptionsSchema,
  type NpyFileOptions,
  npyOptionsSchema,
  USER_SOURCE_KEYS,
} from './user/options.js';
