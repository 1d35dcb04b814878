/**
 * Datasets by name: `loadDataset('fashion-mnist', { binarize: 'dynamic', flatten: true })` validates the
 * options, finds (or downloads) the data and returns the splits together with a plain-JSON spec that
 * reloads the same data later (the CLI stores it in checkpoints).
 */
import { ConfigError, formatZodIssues, processWide } from '@genzoo/core';
import type { InMemoryDataset } from '../dataset/in-memory.js';
import { BUILTIN_DATASETS } from './builtin.js';
import type { DatasetDefinition, LoadContext, SourceStatus } from './definition.js';
import { SOURCE_KEYS } from './options.js';

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

/** Datasets by name: one table per process, shared by this package's ESM and CJS builds. */
const definitions = processWide(
  'dataset-definitions.v1',
  () => new Map<string, DatasetDefinition>(BUILTIN_DATASETS.map((d) => [d.name, d])),
);

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
    throw new ConfigError(`unknown dataset "${name}"; known datasets: ${[...definitions.keys()].join(', ')}`);
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

/** The spec to store: the parsed options without the ones that only locate files. */
export function datasetSpec(name: string, options: unknown = {}): DatasetSpec {
  const parsed = parseDatasetOptions(name, options);
  const kept = Object.entries(parsed).filter(
    ([key, value]) => value !== undefined && !(SOURCE_KEYS as readonly string[]).includes(key),
  );
  return { name, options: Object.fromEntries(kept) };
}

export async function loadDataset(
  name: string,
  options: Record<string, unknown> = {},
  context: LoadContext = {},
): Promise<LoadedDataset> {
  const definition = getDatasetDefinition(name);
  const parsed = parseDatasetOptions(name, options);
  const splits = await definition.load(parsed, context);
  return { ...splits, spec: datasetSpec(name, options) };
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
