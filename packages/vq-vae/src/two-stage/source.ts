/**
 * Where a two-stage model's frozen VQ-VAE comes from when it is created from a folder name. Reading a
 * checkpoint is platform-specific, so the platform-neutral entry only holds the hook; `@genzoo/vq-vae/node`
 * installs a reader of checkpoint folders when imported.
 */
import { ConfigError } from '@genzoo/core';

/** One stored tensor of the frozen VQ-VAE. */
export interface FrozenTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** A trained VQ-VAE as read from its checkpoint. */
export interface FrozenVqVaeSource {
  /** The registered model name of the checkpoint (must be `vq-vae`). */
  modelName: string;
  config: Record<string, unknown>;
  eventShape: number[];
  seed: number;
  weights: Record<string, FrozenTensor>;
  /** The weights' CRC-32 (hex) and byte length. */
  fingerprint: string;
}

export type VqVaeReader = (location: string) => FrozenVqVaeSource;

let reader: VqVaeReader | undefined;

/** Installs how `vqvae` folders are read (`@genzoo/vq-vae/node` installs a checkpoint-folder reader). */
export function setVqVaeReader(read: VqVaeReader | undefined): void {
  reader = read;
}

export function readVqVae(location: string): FrozenVqVaeSource {
  if (!reader) {
    throw new ConfigError(
      `vq-vae-prior: cannot read the VQ-VAE at ${location} here; import '@genzoo/vq-vae/node' (Node) to read checkpoint folders`,
    );
  }
  return reader(location);
}
