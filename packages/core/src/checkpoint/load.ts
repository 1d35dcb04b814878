/**
 * Reading checkpoints back: validation of the manifest and the binary files (sizes, checksums, shapes,
 * finite values), restoring a model's variables, and rebuilding a model through the plugin registry.
 *
 * A checkpoint may come from anyone, so its manifest is untrusted input and reading it can only touch
 * the three files of the checkpoint folder, each at most once and no further than its declared size:
 * - the schema (manifest.ts) accepts only plain file names for the binary files, so a name that could
 *   lead out of the folder is refused before any file-system call, and errors say nothing about files
 *   outside it;
 * - every file must be a regular file: symbolic links are refused, even ones that stay inside the folder
 *   (genzoo never writes them; copy a checkpoint with links dereferenced), and so are directories,
 *   FIFOs and devices, which are never opened (the type comes from lstat; the open itself follows no
 *   link and does not block, so a file swapped in meanwhile is caught by fstat on the opened file);
 * - sizes come from fstat on the opened file and are checked before reading: manifest.json at most
 *   MAX_MANIFEST_BYTES, a binary file exactly the byteLength the manifest gives; then exactly that many
 *   bytes are read from the same descriptor;
 * - tensors must lie inside their file without overlapping, so unpacking takes no more memory than the
 *   file;
 * - float values must be finite: NaN or ±Infinity in a weight or optimizer state fails loading.
 */
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GenerativeModel } from '../contracts/model.js';
import { CheckpointError, formatZodIssues } from '../errors.js';
import { defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import { MANIFEST_FILE, resolveCheckpointDir } from './atomic.js';
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

/** Largest manifest.json read; genzoo's are a few kilobytes. */
export const MAX_MANIFEST_BYTES = 64 * 1024 ** 2;

export interface LoadedCheckpoint {
  /** The directory actually read (`<dir>.previous` after an interrupted save). */
  dir: string;
  manifest: CheckpointManifest;
  /** Model variables by stable key. */
  weights: Record<string, HostTensor>;
  optimizer: OptimizerStateEntry[];
  /** Things worth telling the user that do not prevent loading. */
  warnings: string[];
}

export type WarningHandler = (message: string) => void;

const warnOnStderr: WarningHandler = (message) => console.warn(`warning: ${message}`);

// O_NOFOLLOW: a symbolic link swapped in after the lstat check fails to open instead of being followed.
// O_NONBLOCK: a FIFO swapped in opens at once instead of waiting for a writer (fstat then refuses it).
// Windows has neither flag; there the lstat check stands alone.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** readSync reads at most 2 GiB − 1 bytes per call. */
const READ_CHUNK_BYTES = 1024 ** 3;

function notRegularFile(path: string, stats: Stats): CheckpointError {
  if (stats.isSymbolicLink()) {
    return new CheckpointError(
      `${path} is a symbolic link; a checkpoint's files must be regular files, and links are not followed`,
    );
  }
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a FIFO'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'a device'
        : stats.isSocket()
          ? 'a socket'
          : 'something else';
  return new CheckpointError(`${path} is ${kind}, not a regular file`);
}

function fileSystemError(path: string, error: unknown): CheckpointError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CheckpointError(`checkpoint file ${path} is missing`, { cause: error });
  if (code === 'ELOOP') {
    return new CheckpointError(
      `${path} is a symbolic link; a checkpoint's files must be regular files, and links are not followed`,
      { cause: error },
    );
  }
  return new CheckpointError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
}

/**
 * Opens `path` (a file directly in the checkpoint folder) for reading if it is a regular file, without
 * following a symbolic link or opening anything else; returns the descriptor and fstat's size.
 */
function openRegularFile(path: string): { fd: number; size: number } {
  let linkStats: Stats;
  try {
    linkStats = lstatSync(path);
  } catch (error) {
    throw fileSystemError(path, error);
  }
  if (!linkStats.isFile()) throw notRegularFile(path, linkStats);
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw fileSystemError(path, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notRegularFile(path, stats);
    return { fd, size: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads bytes 0..length of the open file; never more, and fails if the file ends sooner. */
function readExactly(fd: number, length: number, path: string): Buffer {
  if (length > bufferConstants.MAX_LENGTH) {
    throw new CheckpointError(
      `${path} has ${length} bytes, more than this Node.js holds in one buffer (${bufferConstants.MAX_LENGTH})`,
    );
  }
  const bytes = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, bytes, done, Math.min(length - done, READ_CHUNK_BYTES), done);
    if (read === 0) {
      throw new CheckpointError(
        `${path} is truncated: it ended after ${done} of ${length} bytes while being read`,
      );
    }
    done += read;
  }
  return bytes;
}

/** Opens, checks and reads one file of the checkpoint folder; `check` sees fstat's size before reading. */
function readRegularFile(path: string, check: (size: number) => number): Buffer {
  const { fd, size } = openRegularFile(path);
  try {
    return readExactly(fd, check(size), path);
  } finally {
    closeSync(fd);
  }
}

function parseManifest(dir: string): CheckpointManifest {
  const path = join(dir, MANIFEST_FILE);
  const bytes = readRegularFile(path, (size) => {
    if (size > MAX_MANIFEST_BYTES) {
      throw new CheckpointError(
        `${path} has ${size} bytes; a checkpoint manifest may have at most ${MAX_MANIFEST_BYTES} (64 MiB)`,
      );
    }
    return size;
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
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
export async function readManifest(dir: string): Promise<CheckpointManifest> {
  return parseManifest(resolveCheckpointDir(dir));
}

function readBinary(dir: string, spec: { file: string; byteLength: number; crc32: number }): Buffer {
  // The schema has made `file` a plain name, so this path stays in the folder.
  const path = join(dir, spec.file);
  const bytes = readRegularFile(path, (size) => {
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

function unpackAll(bytes: Buffer, specs: readonly TensorSpec[], file: string): Record<string, HostTensor> {
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
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const actual = resolveCheckpointDir(dir);
  const warnings =
    actual === dir
      ? []
      : [`the last save to ${dir} was interrupted; reading the previous checkpoint ${actual}`];
  const manifest = parseManifest(actual);
  const weightsFile = join(actual, manifest.weights.file);
  assertDisjoint(manifest.weights.tensors, weightsFile);
  const weightBytes = readBinary(actual, manifest.weights);
  const weights = unpackAll(weightBytes, manifest.weights.tensors, weightsFile);
  assertFinite(
    Object.entries(weights).map(([key, tensor]) => [`"${key}"`, tensor] as const),
    weightsFile,
    'variable(s)',
  );
  const optimizerFile = join(actual, manifest.optimizer.file);
  assertDisjoint(
    manifest.optimizer.players.flatMap((p) => p.tensors),
    optimizerFile,
  );
  const optimizerBytes = readBinary(actual, manifest.optimizer);
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
  return { dir: actual, manifest, weights, optimizer, warnings };
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

/** A trained model from a checkpoint, for sampling and evaluation. The caller disposes the model. */
export async function loadModel(
  dir: string,
  options: LoadModelOptions = {},
): Promise<{ model: GenerativeModel; manifest: CheckpointManifest }> {
  const onWarning = options.onWarning ?? warnOnStderr;
  const checkpoint = await loadCheckpoint(dir);
  for (const warning of checkpoint.warnings) onWarning(warning);
  const model = createModelFromManifest(checkpoint.manifest, options.registry, onWarning);
  try {
    restoreVariables(model.variables(), checkpoint.weights, checkpoint.dir);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, manifest: checkpoint.manifest };
}
