/** Command-line parsing on node:util's parseArgs, with errors that name the bad argument. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError } from '@genzoo/core';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

export function parseCommandArgs(argv: string[], options: OptionSpec, positionals: number): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  if (parsed.positionals.length !== positionals) {
    throw new ConfigError(
      `expected ${positionals} positional argument(s), got ${parsed.positionals.length}` +
        (parsed.positionals.length > 0 ? ` (${parsed.positionals.join(' ')})` : ''),
    );
  }
  return parsed as ParsedArgs;
}

/** Parses a positive integer flag, naming the flag on error. */
export function intFlag(name: string, value: unknown, { min = 1 } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ConfigError(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/** A comma-separated list of non-negative integers, e.g. `--dims 0,3`. */
export function listFlag(name: string, value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const numbers = String(value)
    .split(',')
    .map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  if (!numbers.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ConfigError(`--${name} must be comma-separated integers ≥ 0, got "${value}"`);
  }
  return numbers;
}

/** A comma-separated list of finite numbers, e.g. `--temperatures 1,0.8,0.6`. */
export function numberListFlag(name: string, value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const numbers = String(value)
    .split(',')
    .map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  if (!numbers.every(Number.isFinite)) {
    throw new ConfigError(`--${name} must be comma-separated numbers, got "${value}"`);
  }
  return numbers;
}

export function numberFlag(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ConfigError(`--${name} must be a number, got "${value}"`);
  return n;
}

/** Parses `--set a.b=value`: the value as JSON when it parses (numbers, booleans, arrays), else a string. */
export function parseAssignment(text: string): { path: string[]; value: unknown } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set expects key=value, got "${text}"`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { path: key.split('.'), value };
}
