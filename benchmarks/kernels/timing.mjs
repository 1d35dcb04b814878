// Shared by the kernel benchmarks: argument parsing, median timing and the result line the harness reads.
import { tf } from '@genzoo/core';

/** The JSON object the harness passes as the first argument. */
export function parseArgs() {
  return JSON.parse(process.argv[2] ?? '{}');
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median wall time (ms) of `fn` over `runs` calls after `warmup` untimed ones, and the output values of
 * the last call. `fn` returns a tensor; reading its values (part of the timed call) forces the work to
 * finish, and everything `fn` made is freed between calls.
 */
export function timeKernel(fn, { warmup, runs }) {
  let values;
  const once = () => {
    const start = performance.now();
    tf.tidy(() => {
      values = fn().dataSync();
    });
    return performance.now() - start;
  };
  for (let i = 0; i < warmup; i++) once();
  return { ms: median(Array.from({ length: runs }, once)), values };
}

/** max|a − b| / (max|b| + 1e-6) */
export function relativeError(a, b) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / (scale + 1e-6);
}

/** The last stdout line, read by benchmarks/harness/process.mjs. */
export function report(rows) {
  console.log(JSON.stringify({ rows }));
}
