/**
 * Transpose in cache-sized tiles. The stock wasm kernel walks the output in order and reads the input
 * with the transposed strides; for a large matrix every read lands on a new cache line, and transposing
 * the [100352, 64] activations of a PixelCNN layer (batch 128 × 28 × 28 pixels × 64 channels) takes
 * 80 ms, ten times the memory traffic's cost. Backpropagation through a dense layer over pixels asks for
 * exactly such transposes (xᵀ·dy), as does the bias gradient's reduction over the rows.
 *
 * The permutation is first reduced by merging axes that stay adjacent; a 2-D transpose [R, C] → [C, R]
 * with R = R₁·T and C = C₁·U then runs as two stock transposes that each touch one small tile at a time:
 *
 *   [R₁, T, C₁, U] → (perm 0, 2, 3, 1) → [R₁, C₁, U, T]      T × U tiles, transposed in cache
 *                  → (perm 1, 2, 0, 3) → [C₁, U, R₁, T]      moves contiguous runs of T values
 *
 * which is [C, R]. The reversal of three merged groups [A, B, C] → [C, B, A] (conv2d's filter gradient
 * asks for [N, H, W, C] → [C, H, W, N]) is a 2-D transpose [A, B·C] → [B, C, A] followed by the row move
 * [B, C, A] → [C, B, A]. Small tensors and other permutations go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { composeKernels, type KernelArgs, type KernelCalls } from './kernel-calls.js';

/** Below this many values the stock kernel's reads stay in cache and tiling only adds a pass. */
const MIN_TILED_SIZE = 1 << 16;
/** Tile sides tried, largest first: a 64 × 64 float tile is 16 KiB, within any L1 cache. */
const TILE_SIDES = [64, 32, 16, 8];

/** The shape and permutation with adjacent, order-preserving axes merged (size-1 axes dropped). */
export function mergeAxes(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    // Input axis `axis` continues the group when it directly follows the group's last input axis
    // (skipping size-1 axes, which are dropped).
    if (last && nextKept(shape, last[last.length - 1]) === axis) last.push(axis);
    else groups.push([axis]);
  }
  const byInput = [...groups].sort((a, b) => a[0] - b[0]);
  return {
    shape: byInput.map((group) => group.reduce((n, axis) => n * shape[axis], 1)),
    perm: groups.map((group) => byInput.indexOf(group)),
  };
}

function nextKept(shape: readonly number[], axis: number): number {
  let next = axis + 1;
  while (next < shape.length && shape[next] === 1) next++;
  return next;
}

/** The largest tile side dividing n, or n itself when n is at most the largest side. */
function tileSide(n: number): number | undefined {
  if (n <= TILE_SIDES[0]) return n;
  return TILE_SIDES.find((t) => n % t === 0);
}

/** [R, C] → [C, R] in tiles, or undefined when no tiling divides the sides. */
function tiledTranspose(k: KernelCalls, stock: tf.KernelConfig, x: tf.TensorInfo, r: number, c: number) {
  const t = tileSide(r);
  const u = tileSide(c);
  if (t === undefined || u === undefined) return undefined;
  const tiles = k.run(tf.Reshape, { x }, { shape: [r / t, t, c / u, u] });
  const inTile = k.call(stock, { x: tiles }, { perm: [0, 2, 3, 1] });
  const moved = k.call(stock, { x: inTile }, { perm: [1, 2, 0, 3] });
  return moved;
}

export function blockedTransposeConfig(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  if (stock === undefined) throw new Error('the wasm backend has no Transpose kernel to tile');
  return {
    kernelName: tf.Transpose,
    backendName: stock.backendName,
    setupFunc: stock.setupFunc,
    kernelFunc: (args: KernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { perm } = args.attrs as unknown as tf.TransposeAttrs;
      const size = tf.util.sizeFromShape(x.shape);
      const merged = mergeAxes(x.shape, perm);
      const outShape = perm.map((axis) => x.shape[axis]);
      const twoD = merged.perm.length === 2;
      const reversal = merged.perm.length === 3 && merged.perm.join() === '2,1,0';
      if (size < MIN_TILED_SIZE || x.dtype !== 'float32' || !(twoD || reversal))
        return stock.kernelFunc(args);
      const [a, b, c] = merged.shape;
      const rows = a;
      const cols = twoD ? b : b * c;
      if (tileSide(rows) === undefined || tileSide(cols) === undefined) return stock.kernelFunc(args);
      return composeKernels(args.backend, (k) => {
        const flat = k.run(tf.Reshape, { x }, { shape: [rows, cols] });
        let y = tiledTranspose(k, stock, flat, rows, cols)!;
        // [B·C, A] as [B, C, A] → [C, B, A].
        if (reversal)
          y = k.call(stock, { x: k.run(tf.Reshape, { x: y }, { shape: [b, c, a] }) }, { perm: [1, 0, 2] });
        return k.run(tf.Reshape, { x: y }, { shape: outShape });
      });
    },
  };
}
