/** Errors a user can act on; each names the problem (config key, file, shape) in its message. */
import type { z } from 'zod';

/** The class names of an error's kinds, most specific first: what `instanceof` checks. */
const KINDS = Symbol.for('@genzoo/core:error-kinds');

/**
 * An error class's kind: its own static `kind` (a string literal, so minified browser bundles, which
 * rename classes, still say `ConfigError`), else its class name (subclasses defined elsewhere).
 */
function kindOf(errorClass: { name: string; kind?: string }): string {
  return Object.hasOwn(errorClass, 'kind') && errorClass.kind !== undefined
    ? errorClass.kind
    : errorClass.name;
}

export class GenzooError extends Error {
  static readonly kind: string = 'GenzooError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = kindOf(new.target);
    const kinds: string[] = [];
    for (let kind: { name: string } = new.target; kind !== Error; kind = Object.getPrototypeOf(kind)) {
      kinds.push(kindOf(kind));
    }
    Object.defineProperty(this, KINDS, { value: kinds });
  }

  /**
   * `instanceof` by kind rather than by class object, so an error thrown by genzoo's ESM build is an
   * instance of the CJS build's class and back (the dual-package hazard; see registry/process-wide.ts).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const kinds = (value as { [KINDS]?: unknown } | null | undefined)?.[KINDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` asks about, a subclass too.
    return Array.isArray(kinds) && kinds.includes(kindOf(this));
  }
}

/** A config value or command-line argument is wrong. */
export class ConfigError extends GenzooError {
  static override readonly kind = 'ConfigError';
}

/** A data file is missing, truncated or corrupt. */
export class DataError extends GenzooError {
  static override readonly kind = 'DataError';
}

/** A checkpoint is missing, incomplete or does not match the model. */
export class CheckpointError extends GenzooError {
  static override readonly kind = 'CheckpointError';
}

/** A tensor has the wrong shape or dtype. */
export class ShapeError extends GenzooError {
  static override readonly kind = 'ShapeError';
}

/** Training produced NaN or Inf. */
export class NonFiniteLossError extends GenzooError {
  static override readonly kind = 'NonFiniteLossError';
}

/** The requested backend cannot be used here. */
export class BackendError extends GenzooError {
  static override readonly kind = 'BackendError';
}

/**
 * A request would take more memory than genzoo allows (a model's parameters, the samples a command draws,
 * an image's pixels): refused from an estimate before anything is allocated, naming what to lower.
 */
export class ResourceError extends GenzooError {
  static override readonly kind = 'ResourceError';
}

/** Another process holds the lock on a folder this one would write (a run, a cache entry). */
export class LockError extends GenzooError {
  static override readonly kind = 'LockError';
}

/** A run folder cannot be used as asked: it holds another run, or cannot be created or written. */
export class RunFolderError extends GenzooError {
  static override readonly kind = 'RunFolderError';
}

/** `a.b[2]: expected number, received string; c: unknown key` */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
      if (issue.code === 'unrecognized_keys')
        return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')} at ${path}`;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Throws a ShapeError unless `shape` matches `expected` (-1 matches any size). */
export function assertShape(what: string, shape: readonly number[], expected: readonly number[]): void {
  const ok = shape.length === expected.length && expected.every((d, i) => d === -1 || d === shape[i]);
  if (!ok) {
    const fmt = (s: readonly number[]) => `[${s.map((d) => (d === -1 ? '*' : d)).join(', ')}]`;
    throw new ShapeError(`${what}: expected shape ${fmt(expected)}, got ${fmt(shape)}`);
  }
}
