/**
 * How a coupling layer splits its input into the part that passes through unchanged (the identity part
 * x_a, which the conditioner reads) and the part it transforms (x_b). RealNVP (Dinh et al. 2017, §3.4)
 * uses two kinds, and NICE the vector forms of both:
 *
 * - mask partitions: a binary mask m of the event shape; x_a = m ⊙ x, and the conditioner's outputs are
 *   zeroed where m = 1 so those values pass through exactly. Checkerboards for images ((i + j) mod 2),
 *   alternating dimensions for vectors.
 * - channel partitions: the last axis split into halves — channel-wise masks for images, half-split masks
 *   for vectors. The conditioner reads only x_a's channels and outputs only x_b's, so nothing is wasted.
 *
 * `parity` flips which part is the identity, so consecutive couplings alternate and every value is
 * transformed.
 */
import { ConfigError, type ParameterStore } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { channelsOf } from './shapes.js';

export type Parity = 0 | 1;

export interface Partition {
  /** e.g. `checkerboard(0)`, `channel(1)`. */
  readonly description: string;
  /** Event shape of what the conditioner reads. */
  readonly identityShape: readonly number[];
  /** Event shape of the transformed part; conditioners output parameters of this shape (× P channels). */
  readonly activeShape: readonly number[];
  split(x: tf.Tensor): { identity: tf.Tensor; active: tf.Tensor };
  /** Zeroes parameters where the value passes through (mask partitions); others keep them as they are. */
  restrict(params: tf.Tensor): tf.Tensor;
  /** The layer's output from the identity part and the transformed part. */
  merge(identity: tf.Tensor, active: tf.Tensor): tf.Tensor;
}

export type MaskPattern = 'checkerboard' | 'alternate';

/** A binary-mask partition of the whole event shape; m = 1 marks the identity part. */
export class MaskPartition implements Partition {
  readonly description: string;
  readonly identityShape: readonly number[];
  readonly activeShape: readonly number[];
  private readonly mask: tf.Tensor;
  private readonly complement: tf.Tensor;

  /** The masks are architecture constants held by `params` (rebuilt from the config, not checkpointed). */
  constructor(
    params: ParameterStore,
    key: string,
    eventShape: readonly number[],
    pattern: MaskPattern,
    parity: Parity,
  ) {
    this.description = `${pattern}(${parity})`;
    this.identityShape = eventShape;
    this.activeShape = eventShape;
    const values = maskValues(eventShape, pattern, parity);
    const shape = [...eventShape];
    this.mask = params.createDerived(`${key}/mask`, shape, () => tf.tensor(values, shape));
    this.complement = params.createDerived(`${key}/complement`, shape, () =>
      tf.tensor(
        values.map((v) => 1 - v),
        shape,
      ),
    );
  }

  split(x: tf.Tensor) {
    return { identity: tf.mul(x, this.mask), active: x };
  }

  restrict(params: tf.Tensor): tf.Tensor {
    return tf.mul(params, this.complement);
  }

  merge(_identity: tf.Tensor, active: tf.Tensor): tf.Tensor {
    // restrict() made the transform the identity where m = 1, so `active` already holds those values.
    return active;
  }
}

function maskValues(eventShape: readonly number[], pattern: MaskPattern, parity: Parity): number[] {
  const size = eventShape.reduce((a, b) => a * b, 1);
  const channels = channelsOf(eventShape);
  const out = new Array<number>(size);
  if (pattern === 'alternate') {
    if (eventShape.length !== 1)
      throw new ConfigError(`alternate masks are for vectors, got [${eventShape}]`);
    for (let d = 0; d < size; d++) out[d] = (d + parity) % 2 === 0 ? 1 : 0;
    return out;
  }
  if (eventShape.length !== 3)
    throw new ConfigError(`checkerboard masks are for images [H, W, C], got [${eventShape}]`);
  const width = eventShape[1];
  for (let k = 0; k < size; k++) {
    const pixel = Math.floor(k / channels);
    const [i, j] = [Math.floor(pixel / width), pixel % width];
    out[k] = (i + j + parity) % 2 === 0 ? 1 : 0;
  }
  return out;
}

/**
 * The last axis split in two: with parity 0 the first ⌈C/2⌉ channels are the identity part, with parity
 * 1 the last ⌊C/2⌋.
 */
export class ChannelPartition implements Partition {
  readonly description: string;
  readonly identityShape: readonly number[];
  readonly activeShape: readonly number[];
  private readonly first: number;
  private readonly rest: number;

  constructor(
    eventShape: readonly number[],
    private readonly parity: Parity,
  ) {
    const channels = channelsOf(eventShape);
    if (channels < 2) {
      throw new ConfigError(
        `a channel split needs at least 2 values on the last axis, got [${eventShape}] (squeeze images first, or use a checkerboard)`,
      );
    }
    this.first = Math.ceil(channels / 2);
    this.rest = channels - this.first;
    const lead = eventShape.slice(0, -1);
    const [identity, active] = parity === 0 ? [this.first, this.rest] : [this.rest, this.first];
    this.identityShape = [...lead, identity];
    this.activeShape = [...lead, active];
    this.description = `channel(${parity})`;
  }

  split(x: tf.Tensor) {
    const [a, b] = tf.split(x, [this.first, this.rest], -1);
    return this.parity === 0 ? { identity: a, active: b } : { identity: b, active: a };
  }

  restrict(params: tf.Tensor): tf.Tensor {
    return params;
  }

  merge(identity: tf.Tensor, active: tf.Tensor): tf.Tensor {
    return this.parity === 0 ? tf.concat([identity, active], -1) : tf.concat([active, identity], -1);
  }
}

/** The partition of coupling k of a vector flow: alternating dimensions or halves, parity k mod 2. */
export function vectorPartition(
  params: ParameterStore,
  key: string,
  eventShape: readonly number[],
  mask: 'alternate' | 'half',
  k: number,
): Partition {
  const parity = (k % 2) as Parity;
  return mask === 'alternate'
    ? new MaskPartition(params, key, eventShape, 'alternate', parity)
    : new ChannelPartition(eventShape, parity);
}
