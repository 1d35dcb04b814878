/**
 * Writing a checkpoint: manifest.json, weights.bin (model variables) and optimizer.bin, encoded here and
 * handed to a CheckpointStorage, which replaces the stored checkpoint at once.
 */
import { version as coreVersion } from '../../package.json';
import { CheckpointError, formatZodIssues } from '../errors.js';
import type { OptimizerConfig, TrainConfig } from '../training/config.js';
import { concatBytes, crc32, packTensors } from './binary.js';
import type { HostTensor } from './host-tensor.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  checkpointManifestSchema,
  type TensorSpec,
} from './manifest.js';
import { type CheckpointFile, type CheckpointStorage, MANIFEST_FILE } from './storage.js';

export const WEIGHTS_FILE = 'weights.bin';
export const OPTIMIZER_FILE = 'optimizer.bin';

/** One player's optimizer state: slot tensors by `<slot>:<variable key>`, optimizer scalars by name. */
export interface OptimizerStateEntry {
  player: string;
  config: OptimizerConfig;
  iterations: number;
  tensors: Record<string, HostTensor>;
}

export interface CheckpointContents {
  model: CheckpointManifest['model'];
  train: TrainConfig;
  state: CheckpointManifest['state'];
  metrics?: { train?: Record<string, number>; eval?: Record<string, number> };
  run?: Record<string, unknown>;
  /** Model variables by stable key. */
  weights: Record<string, HostTensor>;
  optimizer?: OptimizerStateEntry[];
}

export interface EncodedCheckpoint {
  manifest: CheckpointManifest;
  /** The checkpoint's files, manifest.json last (a stored manifest marks a complete checkpoint). */
  files: CheckpointFile[];
}

/**
 * A checkpoint's manifest and files, as bytes for any storage. `location` names the destination in the
 * error a manifest that fails its schema raises.
 */
export function encodeCheckpoint(
  contents: CheckpointContents,
  location = 'the checkpoint',
): EncodedCheckpoint {
  const weights = packTensors(Object.entries(contents.weights));
  const optimizerParts = (contents.optimizer ?? []).map((entry) => ({
    entry,
    packed: packTensors(Object.entries(entry.tensors)),
  }));
  let offset = 0;
  const players = optimizerParts.map(({ entry, packed }) => {
    const tensors: TensorSpec[] = packed.specs.map((spec) => ({ ...spec, offset: spec.offset + offset }));
    offset += packed.bytes.byteLength;
    return { player: entry.player, config: entry.config, iterations: entry.iterations, tensors };
  });
  const optimizerBytes = concatBytes(
    optimizerParts.map((p) => p.packed.bytes),
    offset,
  );
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    genzooCoreVersion: coreVersion,
    model: contents.model,
    train: contents.train,
    state: contents.state,
    metrics: { train: finiteOrNull(contents.metrics?.train), eval: finiteOrNull(contents.metrics?.eval) },
    run: contents.run ?? {},
    weights: {
      file: WEIGHTS_FILE,
      byteLength: weights.bytes.byteLength,
      crc32: crc32(weights.bytes),
      tensors: weights.specs,
    },
    optimizer: {
      file: OPTIMIZER_FILE,
      byteLength: optimizerBytes.byteLength,
      crc32: crc32(optimizerBytes),
      players,
    },
  };
  const valid = checkpointManifestSchema.safeParse(manifest);
  if (!valid.success) throw new CheckpointError(`cannot write ${location}: ${formatZodIssues(valid.error)}`);
  return {
    manifest,
    files: [
      [WEIGHTS_FILE, weights.bytes],
      [OPTIMIZER_FILE, optimizerBytes],
      // Last: a manifest marks a complete checkpoint.
      [MANIFEST_FILE, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`)],
    ],
  };
}

/** Writes (or replaces, at once) the checkpoint in `storage` and returns its manifest. */
export async function saveCheckpoint(
  storage: CheckpointStorage,
  contents: CheckpointContents,
): Promise<CheckpointManifest> {
  const { manifest, files } = encodeCheckpoint(contents, storage.location);
  await storage.write(files);
  return manifest;
}

function finiteOrNull(metrics: Record<string, number> | undefined): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(metrics ?? {}).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
  );
}
