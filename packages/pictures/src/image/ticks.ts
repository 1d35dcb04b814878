/**
 * Axis ranges and "nice" tick values: steps of 1, 2 or 5 × 10^k (Heckbert, "Nice numbers for graph
 * labels", Graphics Gems, 1990), and labels with just enough decimals to tell neighbours apart.
 */

export type Range = readonly [number, number];

/** The finite min and max of `values`, widened when empty or degenerate. */
export function dataRange(values: Iterable<number>): Range {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 1];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/** The range widened by `fraction` of its span on each side. */
export function padRange([lo, hi]: Range, fraction: number): Range {
  const pad = (hi - lo) * fraction;
  return [lo - pad, hi + pad];
}

function niceStep(span: number, maxTicks: number): number {
  const raw = span / Math.max(1, maxTicks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const residual = raw / magnitude;
  const nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
  return nice * magnitude;
}

export interface Ticks {
  values: number[];
  labels: string[];
}

/** At most about `maxTicks` nice values inside [lo, hi], with labels. */
export function niceTicks([lo, hi]: Range, maxTicks = 6): Ticks {
  const step = niceStep(hi - lo, maxTicks);
  const values: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) values.push(k * step);
  return { values, labels: values.map((v) => formatTick(v, step)) };
}

/** A tick label: fixed decimals matching the step, or exponent notation for very large or small steps. */
export function formatTick(value: number, step: number): string {
  if (Math.abs(value) < step * 1e-9) return '0';
  if (step >= 1e6 || step < 1e-4) {
    const digits = Math.max(0, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(step)));
    return value.toExponential(Math.min(digits, 6)).replace('e+', 'e');
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals);
}
