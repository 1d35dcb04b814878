/**
 * Reading checkpoints back: validation of the manifest and the binary files (sizes, checksums, shapes),
 * restoring a model's variables, and rebuilding a model through the plugin registry.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { GenerativeModel } from '../contracts/model.js';
import { CheckpointError, formatZodIssues } from '../errors.js';
import { defaultRegistry, type PluginRegistry } from '../registry/registry.js';
import { MANIFEST_FILE, resolveCheckpointDir } from './atomic.js';
import { crc32, unpackTensor } from './binary.js';
import { formatShape, type HostTensor, sameShape } from './host-tensor.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  checkpointManifestSchema,
  type TensorSpec,
} from './manifest.js';
import type { OptimizerStateEntry } from './save.js';

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

function parseManifest(dir: string): CheckpointManifest {
  const path = join(dir, MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
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
  const path = join(dir, spec.file);
  if (!existsSync(path)) throw new CheckpointError(`checkpoint file ${path} is missing`);
  const size = statSync(path).size;
  if (size < spec.byteLength) {
    throw new CheckpointError(`${path} is truncated: ${size} of ${spec.byteLength} bytes`);
  }
  if (size > spec.byteLength) {
    throw new CheckpointError(`${path} has ${size} bytes, the manifest says ${spec.byteLength}`);
  }
  const bytes = readFileSync(path);
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

/** Reads a whole checkpoint into host memory, validating every file against the manifest. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const actual = resolveCheckpointDir(dir);
  const warnings =
    actual === dir
      ? []
      : [`the last save to ${dir} was interrupted; reading the previous checkpoint ${actual}`];
  const manifest = parseManifest(actual);
  const weightBytes = readBinary(actual, manifest.weights);
  const weights = unpackAll(weightBytes, manifest.weights.tensors, join(actual, manifest.weights.file));
  const optimizerBytes = readBinary(actual, manifest.optimizer);
  const optimizerFile = join(actual, manifest.optimizer.file);
  const optimizer = manifest.optimizer.players.map((p) => ({
    player: p.player,
    config: p.config,
    iterations: p.iterations,
    tensors: unpackAll(optimizerBytes, p.tensors, optimizerFile),
  }));
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
