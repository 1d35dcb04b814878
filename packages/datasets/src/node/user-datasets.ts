/** The user-data datasets of the Node entry: `image-folder`, `csv` and `npy`, read from the `path` option. */
import { defineDataset } from '../registry/definition.js';
import {
  csvOptionsSchema,
  imageFolderOptionsSchema,
  npyOptionsSchema,
  USER_SOURCE_KEYS,
} from '../user/options.js';
import { loadCsvFile } from './csv-file.js';
import { loadImageFolder } from './image-folder.js';
import { loadNpyFile } from './npy-file.js';

const yours = () => ({ found: true, where: 'your files (the path option)' });

export const USER_DATASETS = [
  defineDataset({
    name: 'image-folder',
    description: 'your PNG/JPEG images in a folder (path); labels from sub-folder names',
    optionsSchema: imageFolderOptionsSchema,
    sourceKeys: USER_SOURCE_KEYS,
    // The shape depends on the files unless size and channels are given.
    eventShape: (o) => {
      const side =
        o.size !== undefined ? [o.size, o.size] : o.width !== undefined ? [o.height ?? 0, o.width] : [];
      if (side.length === 0 || o.channels === undefined) return [];
      return o.flatten ? [side[0] * side[1] * o.channels] : [...side, o.channels];
    },
    source: yours,
    load: (options) => loadImageFolder(options),
  }),
  defineDataset({
    name: 'csv',
    description: 'your CSV file of numeric columns (path); an optional header and label column',
    optionsSchema: csvOptionsSchema,
    sourceKeys: USER_SOURCE_KEYS,
    eventShape: () => [],
    source: yours,
    load: (options) => loadCsvFile(options),
  }),
  defineDataset({
    name: 'npy',
    description:
      'your NumPy .npy array (path): (N, D) vectors or (N, H, W[, C]) images; labels from labelsPath',
    optionsSchema: npyOptionsSchema,
    sourceKeys: USER_SOURCE_KEYS,
    eventShape: () => [],
    source: yours,
    load: (options) => loadNpyFile(options),
  }),
];
