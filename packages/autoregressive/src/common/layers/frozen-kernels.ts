/**
 * Masked kernels W ⊙ M fixed for a run of inference calls. Training must form W ⊙ M inside every
 * forward pass (the gradient reaches W through the product), but sampling runs the network once per
 * position with unchanged weights: forming the product once, and passing the same kernel tensor every
 * time, saves the multiply and lets the wasm backend reuse its packed XNNPACK operator for that kernel
 * (it caches operators by the kernel's buffer), which for MADE on 784 pixels was most of the sampling
 * time.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A layer (or network) whose masked kernels can be frozen for a run of inference calls. */
export interface Freezable {
  /** Forms and keeps the masked kernels; apply uses them until `thaw`. */
  freeze(): void;
  /** Disposes the kept kernels; apply forms W ⊙ M again (as training needs). */
  thaw(): void;
}

/** Holds the frozen products of one layer's kernel with each of its masks. */
export class FrozenKernels {
  private kept: tf.Tensor[] | undefined;

  constructor(
    private readonly kernel: tf.Variable,
    private readonly masks: readonly tf.Tensor[],
  ) {}

  /** W ⊙ M_i: the frozen tensor while frozen (owned here), else a new product inside the caller's tidy. */
  masked(index: number): tf.Tensor {
    return this.kept?.[index] ?? tf.mul(this.kernel, this.masks[index]);
  }

  freeze(): void {
    this.thaw();
    this.kept = this.masks.map((mask) => tf.keep(tf.mul(this.kernel, mask)));
  }

  thaw(): void {
    if (this.kept) tf.dispose(this.kept);
    this.kept = undefined;
  }
}

/** Freezes every part for the duration of `body`, thawing them however it ends. */
export function whileFrozen<T>(parts: readonly Freezable[], body: () => T): T {
  for (const part of parts) part.freeze();
  try {
    return body();
  } finally {
    for (const part of parts) part.thaw();
  }
}
