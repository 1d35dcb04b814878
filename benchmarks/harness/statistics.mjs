// Summary statistics of the seed-spread tables (vq-vae-seeds, autoregressive).
import { formatValue } from './results.mjs';

export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** The sample standard deviation (n − 1); undefined for fewer than two values. */
export function sd(values) {
  if (values.length < 2) return undefined;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

/** "mean ± sd" as the results tables print it ("–" for the sd of one value). */
export const meanAndSd = (values) => `${formatValue(mean(values))} ± ${formatValue(sd(values)) || '–'}`;
