/**
 * Datasets by name: `loadDataset('fashion-mnist', { binarize: 'dynamic', flatten: true })` validates the
 * options, finds (or downloads) the data and returns the splits together with a plain-JSON spec that
 * reloads the same data later (the CLI stores it in checkpoints).
 */
import { ConfigError, formatZodIssues, processWide } from '@genzoo/core';
import type { InMemoryDataset } from '../dataset/in-memory.js';
import type { DatasetDefinition, LoadContext, SourceStatus } from './definition.js';
import { SOURCE_KEYS } from './options.js';
import { TOY_DATASETS } from './toys.js';

/** Name and complete options (defaults filled, file locations left out) of a loaded dataset. */
export interface DatasetSpec {
  name: string;
  options: Record<string, unknown>;
}

export interface LoadedDataset {
  train: InMemoryDataset;
  test: InMemoryDataset;
  validation?: InMemoryDataset;
  /** `loadDataset(spec.name, spec.options)` gives the same data again. */
  spec: DatasetSpec;
}

export interface DatasetInfo {
  name: string;
  description: string;
  /** Shape of one example with default options. */
  eventShape: number[];
  numClasses?: number;
  source: SourceStatus;
}

/**
 * Datasets by name: one table per process, shared by this package's ESM and CJS builds and by its main and
 * Node entries. The main entry starts it with the toy sets; importing `@genzoo/datasets/node` adds the
 * file-backed built-in sets (see registerBuiltinDatasets).
 */
const definitions = processWide(
  'dataset-definitions.v1',
  () => new Map<string, DatasetDefinition>(TOY_DATASETS.map((d) => [d.name, d])),
);

/** The built-in datasets that read files, registered by the Node entry; named in "unknown dataset" errors. */
const NODE_DATASETS = [
  'mnist',
  'fashion-mnist',
  'mnist-10k',
  'mnist-10k-inverted',
  'mnist-10k-rotated',
  'mnist-10k-domains',
  'cifar10',
  'image-folder',
  'csv',
  'npy',
];

/**
 * Registers built-in datasets (the Node entry's file-backed ones): `before` go ahead of the toy sets, in
 * the order given, `after` behind them, so `listDatasets` keeps its order. Idempotent: the ESM and CJS
 * builds of the Node entry may both run it.
 */
export function registerBuiltinDatasets(
  before: readonly DatasetDefinition[],
  after: readonly DatasetDefinition[] = [],
): void {
  const fresh = (list: readonly DatasetDefinition[]) => list.filter((d) => !definitions.has(d.name));
  const head = fresh(before);
  const tail = fresh(after);
  if (head.length === 0 && tail.length === 0) return;
  const rest = [...definitions.values()];
  definitions.clear();
  for (const definition of [...head, ...rest, ...tail]) definitions.set(definition.name, definition);
}

/** Adds a dataset (from a plugin) under a new name. */
export function registerDataset(definition: DatasetDefinition): void {
  if (definitions.has(definition.name)) {
    throw new ConfigError(`a dataset named "${definition.name}" is already registered`);
  }
  definitions.set(definition.name, definition);
}

export function getDatasetDefinition(name: string): DatasetDefinition {
  const definition = definitions.get(name);
  if (!definition) {
    const hint = NODE_DATASETS.includes(name)
      ? ` ("${name}" reads files: import '@genzoo/datasets/node' to register it)`
      : '';
    throw new ConfigError(
      `unknown dataset "${name}"${hint}; known datasets: ${[...definitions.keys()].join(', ')}`,
    );
  }
  return definition;
}

/** Validates options against the dataset's schema; returns them with defaults filled in. */
export function parseDatasetOptions(name: string, options: unknown = {}): Record<string, unknown> {
  const parsed = getDatasetDefinition(name).optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new ConfigError(`invalid options for dataset "${name}": ${formatZodIssues(parsed.error)}`);
  }
  return parsed.data as Record<string, unknown>;
}

/**
 * The spec to store: the parsed options without the ones that only locate files (SOURCE_KEYS, or the
 * dataset's own `sourceKeys`: the user-data sets keep their `path`, checked by a content fingerprint).
 */
export function datasetSpec(name: string, options: unknown = {}): DatasetSpec {
  const parsed = parseDatasetOptions(name, options);
  const dropped: readonly string[] = getDatasetDefinition(name).sourceKeys ?? SOURCE_KEYS;
  const kept = Object.entries(parsed).filter(([key, value]) => value !== undefined && !dropped.includes(key));
  return { name, options: Object.fromEntries(kept) };
}

export async function loadDataset(
  name: string,
  options: Record<string, unknown> = {},
  context: LoadContext = {},
): Promise<LoadedDataset> {
  const definition = getDatasetDefinition(name);
  const parsed = parseDatasetOptions(name, options);
  const { recorded, ...splits } = await definition.load(parsed, context);
  return { ...splits, spec: datasetSpec(name, { ...options, ...recorded }) };
}

export function listDatasets(context: LoadContext = {}): DatasetInfo[] {
  return [...definitions.values()].map((definition) => ({
    name: definition.name,
    description: definition.description,
    eventShape: definition.eventShape(parseDatasetOptions(definition.name, {})),
    ...(definition.numClasses !== undefined ? { numClasses: definition.numClasses } : {}),
    source: definition.source(context),
  }));
}
