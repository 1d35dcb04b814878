/** What the registry knows about a dataset: its options, shape, where its data is, and how to load it. */
import type { z } from 'zod';
import type { DownloadOptions } from '../sources/download.js';
import type { LocateOptions } from '../sources/locate.js';
import type { Splits } from './splits.js';

/** Availability of a dataset's data on this machine, for `genzoo datasets`. */
export interface SourceStatus {
  found: boolean;
  /** Where the data was found (a folder, a package, or `generated`). */
  where?: string;
  /** How to get it when it is missing (or how it will be fetched). */
  howToGet?: string;
}

/**
 * Runtime settings that are not dataset options: the environment to read GENZOO_* from, system folders
 * to search (tests), and download hooks.
 */
export interface LoadContext extends Pick<LocateOptions, 'env' | 'systemDirs'>, DownloadOptions {}

export interface DatasetDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  numClasses?: number;
  /**
   * For unpaired two-domain sets (examples [2, ...image]): the dataset whose images domain A holds, whose
   * reference classifier scores translations.
   */
  domains?: { base: string };
  /**
   * For unpaired multi-domain sets (one image per example, its domain as its label): the domains' names in
   * label order. Their reference classifier tells the domains apart and scores translations.
   */
  domainNames?: readonly string[];
  /**
   * Options left out of the stored spec because they only say where the data is; SOURCE_KEYS (`path`,
   * `offline`, `cacheDir`) unless given.
   */
  sourceKeys?: readonly string[];
  /** Strict schema with defaults; it must accept `{}` (listDatasets uses the defaults). */
  optionsSchema: Schema;
  /** Shape of one example under these options. */
  eventShape(options: z.output<Schema>): number[];
  source(context: LoadContext): SourceStatus;
  load(options: z.output<Schema>, context: LoadContext): Promise<Splits>;
}

/** Keeps a definition's option types while storing it in the registry. */
export function defineDataset<Schema extends z.ZodType>(
  definition: DatasetDefinition<Schema>,
): DatasetDefinition {
  return definition as unknown as DatasetDefinition;
}
