/**
 * Reading checkpoints back: validation of the manifest and the binary files (sizes, checksums, shapes,
 * finite values), restoring a model's variables, and rebuilding a model through the plugin registry.
 *
 * A checkpoint may come from anyone, so its manifest is untrusted input and reading it can only touch
 * the three files of the checkpoint, each at most once and no further than its declared size:
 * - the schema (manifest.ts) accepts only plain file names for the binary files, so a name that could
 *   lead out of a checkpoint folder is refused before the storage is asked for it, and errors say nothing
 *   about files outside it;
 * - sizes come from the storage (`check` of CheckpointReader.read) and are checked before reading:
 *   manifest.json at most MAX_MANIFEST_BYTES, a binary file exactly the byteLength the manifest gives;
 *   what a storage must refuse besides (links, devices: see `checkpointDirectory` of `@genzoo/core/node`)
 *   it refuses itself;
 * - tensors must lie inside their file without overlapping, so unpacking takes no more memory than the
 *   file;
 * - float values must be finite: NaN or ±Infinity in a weight or optimizer state fails loading.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GenerativeModel } from '../contracts/model.js';
import { CheckpointError, formatZodIssues } from '../errors.js';
import { defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import { assertDisjoint, crc32, nonFiniteCount, unpackTensor } from './binary.js';
import { formatShape, type HostTensor, sameShape } from './host-tensor.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  checkpointManifestSchema,
  type TensorSpec,
} from './manifest.js';
import type { OptimizerStateEntry } from './save.js';
import { type CheckpointReader, type CheckpointStorage, fileLocation, MANIFEST_FILE } from './storage.js';

/** Largest manifest.json read; genzoo's are a few kilobytes. */
export const MAX_MANIFEST_BYTES = 64 * 1024 ** 2;

export interface LoadedCheckpoint {
  /** What was actually read (e.g. `<dir>.previous` after an interrupted save). */
  location: string;
  manifest: CheckpointManifest;
  /** Model variables by stable key. */
  weights: Record<string, HostTensor>;
  optimizer: OptimizerStateEntry[];
  /** Things worth telling the user that do not prevent loading. */
  warnings: string[];
}

export type WarningHandler = (message: string) => void;

const warnOnStderr: WarningHandler = (message) => console.warn(`warning: ${message}`);

/** The stored checkpoint opened for reading; a CheckpointError when `storage` holds none. */
async function openCheckpoint(storage: CheckpointStorage): Promise<CheckpointReader> {
  const reader = await storage.open();
  if (!reader) {
    throw new CheckpointError(
      `no checkpoint at ${storage.location}: ${fileLocation(storage.location, MANIFEST_FILE)} does not exist`,
    );
  }
  return reader;
}

async function parseManifest(reader: CheckpointReader): Promise<CheckpointManifest> {
  const path = fileLocation(reader.location, MANIFEST_FILE);
  const bytes = await reader.read(MANIFEST_FILE, (size) => {
    if (size > MAX_MANIFEST_BYTES) {
      throw new CheckpointError(
        `${path} has ${size} bytes; a checkpoint manifest may have at most ${MAX_MANIFEST_BYTES} (64 MiB)`,
      );
    }
    return size;
  });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new CheckpointError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const header = json as { format?: unknown; formatVersion?: unknown };
  if (header?.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `${path} is not a genzoo checkpoint manifest (format: ${String(header?.format)})`,
    );
  }
  if (header.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      `${path} has checkpoint format version ${String(header.formatVersion)}; this genzoo reads version ${CHECKPOINT_FORMAT_VERSION}`,
    );
  }
  const parsed = checkpointManifestSchema.safeParse(json);
  if (!parsed.success) throw new CheckpointError(`${path} is invalid: ${formatZodIssues(parsed.error)}`);
  return parsed.data;
}

/** Reads and validates a checkpoint's manifest only. */
export async function readManifest(storage: CheckpointStorage): Promise<CheckpointManifest> {
  return parseManifest(await openCheckpoint(storage));
}

async function readBinary(
  reader: CheckpointReader,
  spec: { file: string; byteLength: number; crc32: number },
): Promise<Uint8Array> {
  // The schema has made `file` a plain name, so it stays in the checkpoint.
  const path = fileLocation(reader.location, spec.file);
  const bytes = await reader.read(spec.file, (size) => {
    if (size < spec.byteLength) {
      throw new CheckpointError(`${path} is truncated: ${size} of ${spec.byteLength} bytes`);
    }
    if (size > spec.byteLength) {
      throw new CheckpointError(`${path} has ${size} bytes, the manifest says ${spec.byteLength}`);
    }
    return spec.byteLength;
  });
  if (crc32(bytes) !== spec.crc32)
    throw new CheckpointError(`${path} is corrupt: its CRC-32 does not match the manifest`);
  return bytes;
}

function unpackAll(
  bytes: Uint8Array,
  specs: readonly TensorSpec[],
  file: string,
): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const spec of specs) {
    if (out[spec.name]) throw new CheckpointError(`${file}: tensor "${spec.name}" appears twice`);
    out[spec.name] = unpackTensor(bytes, spec, file);
  }
  return out;
}

/** How many offending tensors an error lists by name. */
const LISTED_NON_FINITE = 10;

/**
 * Throws unless every value is finite. A NaN or infinite parameter makes every later result NaN, so it is
 * refused here, naming the tensors, rather than surfacing as a NaN score or a diverging resumed run.
 */
function assertFinite(
  tensors: ReadonlyArray<readonly [string, HostTensor]>,
  file: string,
  what: string,
): void {
  const bad = tensors.flatMap(([name, tensor]) => {
    const count = nonFiniteCount(tensor.values);
    return count > 0 ? [`${name} (${count} of ${tensor.values.length} values)`] : [];
  });
  if (bad.length === 0) return;
  const listed =
    bad.length > LISTED_NON_FINITE
      ? [...bad.slice(0, LISTED_NON_FINITE), `and ${bad.length - LISTED_NON_FINITE} more`]
      : bad;
  throw new CheckpointError(`${file} holds NaN or ±Infinity in ${bad.length} ${what}: ${listed.join(', ')}`);
}

/** Reads a whole checkpoint into host memory, validating every file against the manifest. */
export async function loadCheckpoint(storage: CheckpointStorage): Promise<LoadedCheckpoint> {
  const reader = await openCheckpoint(storage);
  const { location } = reader;
  const warnings = [...reader.warnings];
  const manifest = await parseManifest(reader);
  const weightsFile = fileLocation(location, manifest.weights.file);
  assertDisjoint(manifest.weights.tensors, weightsFile);
  const weightBytes = await readBinary(reader, manifest.weights);
  const weights = unpackAll(weightBytes, manifest.weights.tensors, weightsFile);
  assertFinite(
    Object.entries(weights).map(([key, tensor]) => [`"${key}"`, tensor] as const),
    weightsFile,
    'variable(s)',
  );
  const optimizerFile = fileLocation(location, manifest.optimizer.file);
  assertDisjoint(
    manifest.optimizer.players.flatMap((p) => p.tensors),
    optimizerFile,
  );
  const optimizerBytes = await readBinary(reader, manifest.optimizer);
  const optimizer = manifest.optimizer.players.map((p) => ({
    player: p.player,
    config: p.config,
    iterations: p.iterations,
    tensors: unpackAll(optimizerBytes, p.tensors, optimizerFile),
  }));
  assertFinite(
    optimizer.flatMap((entry) =>
      Object.entries(entry.tensors).map(
        ([name, tensor]) => [`"${name}" of player "${entry.player}"`, tensor] as const,
      ),
    ),
    optimizerFile,
    'optimizer state tensor(s)',
  );
  return { location, manifest, weights, optimizer, warnings };
}

/**
 * Assigns checkpoint values to a model's variables by stable key. Every variable must be present with its
 * shape, and the checkpoint must hold nothing else (that would mean a different model config).
 */
export function restoreVariables(
  variables: Record<string, tf.Variable>,
  weights: Record<string, HostTensor>,
  what = 'checkpoint',
): void {
  const missing = Object.keys(variables).filter((k) => !(k in weights));
  if (missing.length > 0)
    throw new CheckpointError(`${what} lacks the model variable(s) ${missing.join(', ')}`);
  const extra = Object.keys(weights).filter((k) => !(k in variables));
  if (extra.length > 0) {
    throw new CheckpointError(`${what} holds variable(s) the model does not have: ${extra.join(', ')}`);
  }
  for (const [key, variable] of Object.entries(variables)) {
    const host = weights[key];
    if (!sameShape(host.shape, variable.shape)) {
      throw new CheckpointError(
        `${what}: variable "${key}" has shape ${formatShape(host.shape)}, the model's has ${formatShape(variable.shape)}`,
      );
    }
  }
  for (const [key, variable] of Object.entries(variables)) {
    const host = weights[key];
    tf.tidy(() => variable.assign(tf.cast(tf.tensor(host.values, host.shape, host.dtype), variable.dtype)));
  }
}

/** Creates the checkpoint's model (untrained) through the registry, warning when the plugin changed. */
export function createModelFromManifest(
  manifest: CheckpointManifest,
  registry: PluginRegistry = defaultRegistry,
  onWarning: WarningHandler = warnOnStderr,
): GenerativeModel {
  const { model } = manifest;
  let registered: ReturnType<PluginRegistry['get']>;
  try {
    registered = registry.get(model.name);
  } catch (error) {
    throw new CheckpointError(
      `the checkpoint's model "${model.name}" (plugin ${model.plugin}@${model.pluginVersion}) is not registered; ` +
        `register ${model.plugin} first. ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (registered.plugin.name !== model.plugin) {
    onWarning(
      `model "${model.name}" was saved from plugin ${model.plugin} but is now provided by ${registered.plugin.name}`,
    );
  } else if (registered.plugin.version !== model.pluginVersion) {
    onWarning(
      `model "${model.name}" was saved with ${model.plugin}@${model.pluginVersion}; loading it with version ${registered.plugin.version}`,
    );
  }
  try {
    return registry.createModel(model.name, model.config, {
      eventShape: model.eventShape,
      numClasses: model.numClasses,
      seed: model.seed,
    });
  } catch (error) {
    throw new CheckpointError(
      `cannot rebuild model "${model.name}" from the checkpoint: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

export interface LoadModelOptions {
  registry?: PluginRegistry;
  /** Receives non-fatal problems (plugin version changed, interrupted save); default: console.warn. */
  onWarning?: WarningHandler;
}

/**
 * A trained model from a checkpoint, for sampling and evaluation. The caller disposes the model.
 * In Node: `loadModel(checkpointDirectory(dir))` with `checkpointDirectory` from `@genzoo/core/node`.
 */
export async function loadModel(
  storage: CheckpointStorage,
  options: LoadModelOptions = {},
): Promise<{ model: GenerativeModel; manifest: CheckpointManifest }> {
  const onWarning = options.onWarning ?? warnOnStderr;
  const checkpoint = await loadCheckpoint(storage);
  for (const warning of checkpoint.warnings) onWarning(warning);
  const model = createModelFromManifest(checkpoint.manifest, options.registry, onWarning);
  try {
    restoreVariables(model.variables(), checkpoint.weights, checkpoint.location);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, manifest: checkpoint.manifest };
}
