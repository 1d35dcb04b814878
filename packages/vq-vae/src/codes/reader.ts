/** Reads a VQ-VAE checkpoint folder synchronously, for the two-stage model's `vqvae` option (Node only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CheckpointError,
  checkpointManifestSchema,
  crc32,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
} from '@genzoo/core';
import type { FrozenTensor, FrozenVqVaeSource } from '../two-stage/source.js';
import { vqVaeCheckpointDir, weightsFingerprint } from './dataset.js';

/** The VQ-VAE of a run folder (with `checkpoint/`) or of a checkpoint folder, its weights checked by CRC. */
export function readVqVaeCheckpoint(location: string): FrozenVqVaeSource {
  const dir = vqVaeCheckpointDir(location);
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifestText: string;
  try {
    const bytes = readFileSync(manifestPath);
    if (bytes.byteLength > MAX_MANIFEST_BYTES) throw new Error(`larger than ${MAX_MANIFEST_BYTES} bytes`);
    manifestText = bytes.toString('utf8');
  } catch (error) {
    throw new CheckpointError(
      `${manifestPath}: ${(error as Error).message} (an interrupted save? resume or rerun the VQ-VAE)`,
      { cause: error },
    );
  }
  const parsed = checkpointManifestSchema.safeParse(JSON.parse(manifestText));
  if (!parsed.success) throw new CheckpointError(`${manifestPath}: not a genzoo checkpoint manifest`);
  const manifest = parsed.data;
  const weightsPath = join(dir, manifest.weights.file);
  const bytes = new Uint8Array(readFileSync(weightsPath));
  if (bytes.byteLength !== manifest.weights.byteLength || crc32(bytes) !== manifest.weights.crc32) {
    throw new CheckpointError(`${weightsPath}: the weights do not match their manifest (size or CRC-32)`);
  }
  const weights: Record<string, FrozenTensor> = {};
  for (const spec of manifest.weights.tensors) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.byteLength !== count * 4 || spec.offset + spec.byteLength > bytes.byteLength) {
      throw new CheckpointError(`${weightsPath}: tensor "${spec.name}" does not fit its spec`);
    }
    // A fresh, aligned copy (little-endian, as checkpoints are written).
    const copy = bytes.slice(spec.offset, spec.offset + spec.byteLength);
    const values = spec.dtype === 'float32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    weights[spec.name] = { shape: [...spec.shape], dtype: spec.dtype, values };
  }
  return {
    modelName: manifest.model.name,
    config: manifest.model.config,
    eventShape: [...manifest.model.eventShape],
    seed: manifest.model.seed,
    weights,
    fingerprint: weightsFingerprint(manifest),
  };
}
