// What the PyTorch reference suites share when they turn a genzoo recipe into script flags: config keys
// as kebab-case flags with list and boolean values spelled for argparse, and the training settings the
// reference scripts do not implement (they train with default-parameter Adam, constant rate, no clipping).

/** `couplingsPerScale` → `couplings-per-scale`. */
export const kebab = (key) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Lists comma-joined, booleans as 1/0, everything else as it is. */
export function flagValue(value) {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** The optimizer, schedule or clipping of `train` that the reference scripts lack, or undefined. */
export function unsupportedOptimization(train) {
  const { optimizer = { name: 'adam' } } = train;
  if (optimizer.name !== 'adam') return `optimizer ${optimizer.name}`;
  if ((optimizer.beta1 ?? 0.9) !== 0.9 || (optimizer.beta2 ?? 0.999) !== 0.999)
    return 'non-default Adam betas';
  if ((optimizer.epsilon ?? 1e-8) !== 1e-8) return 'a non-default Adam epsilon';
  if (train.schedule && train.schedule.kind !== 'constant') return `a ${train.schedule.kind} schedule`;
  if (train.clipNorm !== undefined) return 'gradient clipping';
  return undefined;
}

/** Every leaf of a (parsed) model config as a flag: nested keys joined with '-', kebab-cased. */
export function flattenedFlags(config, prefix = []) {
  return Object.fromEntries(
    Object.entries(config).flatMap(([key, value]) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(flattenedFlags(value, [...prefix, key]))
        : [[[...prefix, key].map(kebab).join('-'), flagValue(value)]],
    ),
  );
}
