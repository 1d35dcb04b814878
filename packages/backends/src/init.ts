/**
 * Backend selection. genzoo runs on the fastest tfjs backend that loads here:
 *   @tensorflow/tfjs-node-gpu → @tensorflow/tfjs-node → webgpu (a hardware adapter only)
 *   → wasm (+ genzoo's kernel pack) → cpu,
 * unless `force` or the GENZOO_BACKEND environment variable names one. Gradients (every tfjs gradient and
 * the second-order fixes) are registered by @genzoo/core when it is imported, on any backend.
 */

import { BackendError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  CANDIDATES,
  type Candidate,
  type CandidateLoadOptions,
  formatAdapter,
  isMissingPackage,
  Unavailable,
  WASM_FILES,
  type WasmPaths,
} from './candidates.js';
import { BACKEND_NAMES, type BackendInfo, type BackendName, isBackendName } from './types.js';
import { wasmKernelPackNames } from './wasm/pack.js';

export interface InitBackendOptions {
  /**
   * Backends to try, in order (default: tensorflow-gpu, tensorflow, webgpu, wasm, cpu). webgpu is tried
   * on a hardware adapter only; a software one (lavapipe, SwiftShader) is used only when forced.
   */
  prefer?: BackendName[];
  /**
   * Use exactly this backend (webgpu even on a software adapter) or throw a BackendError; overrides
   * GENZOO_BACKEND and `prefer`.
   */
  force?: BackendName;
  /** Do not print the one-line summary of the choice to stderr. */
  quiet?: boolean;
  /**
   * Where the wasm backend's `.wasm` files are served from (a folder or URL prefix ending in `/`, or one
   * path or URL per file): bundled browser apps copy them from `@tensorflow/tfjs-backend-wasm/dist`.
   */
  wasmPaths?: WasmPaths;
}

export const BACKEND_ENV_VAR = 'GENZOO_BACKEND';

let current: BackendInfo | undefined;
let inFlight: Promise<BackendInfo> | undefined;

/**
 * Selects and initializes the tfjs backend. Idempotent: later calls return the same info without
 * loading anything (`prefer` only matters on the first call), unless they force a different backend,
 * which then replaces the current one.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  while (inFlight !== undefined) await inFlight.catch(() => undefined);
  const forced = forcedBackend(options.force);
  if (current !== undefined && (forced === undefined || forced.name === current.name)) {
    // Someone may have switched with tf.setBackend since; the reported backend must be the active one.
    if (tf.engine().backendName !== current.tfName) await tf.setBackend(current.tfName);
    return current;
  }
  inFlight = select(options, forced);
  try {
    current = await inFlight;
    return current;
  } finally {
    inFlight = undefined;
  }
}

/** The backend initBackend selected, or undefined before it has run. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/**
 * Runs `fn` with `name` as the active tfjs backend (loading it if needed; webgpu on any adapter), then
 * restores the previous one. For comparing results across backends; tensors are not moved, so create them
 * inside `fn`.
 */
export async function withBackend<T>(name: BackendName, fn: () => T | Promise<T>): Promise<T> {
  if (!isBackendName(name)) throw unknownBackend(`withBackend("${name}")`);
  const previous = tf.engine().backendName as string | null;
  const candidate = CANDIDATES[name];
  const reason = await activate(candidate, { named: true });
  if (reason !== undefined) throw unavailable(`withBackend("${name}")`, candidate, reason);
  try {
    return await fn();
  } finally {
    if (previous && previous !== candidate.tfName) await tf.setBackend(previous);
  }
}

async function select(
  options: InitBackendOptions,
  forced: { name: BackendName; source: string } | undefined,
): Promise<BackendInfo> {
  const order = forced ? [forced.name] : preferredOrder(options.prefer);
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    const candidate = CANDIDATES[name];
    const reason = await activate(candidate, { wasmPaths: options.wasmPaths, named: forced !== undefined });
    if (reason !== undefined) {
      if (forced) throw unavailable(forced.source, candidate, reason);
      skipped.push({ name, reason });
      continue;
    }
    const info: BackendInfo = {
      name,
      tfName: candidate.tfName,
      package: candidate.package,
      ...(await candidate.features()),
      kernelPack: name === 'wasm' ? wasmKernelPackNames() : [],
      skipped,
    };
    if (!options.quiet) console.error(summary(info));
    return info;
  }
  throw new BackendError(
    `no tfjs backend could be initialized: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`,
  );
}

/** Loads `candidate` and makes it the active tfjs backend; returns why it could not, or undefined. */
async function activate(candidate: Candidate, options: CandidateLoadOptions): Promise<string | undefined> {
  try {
    await candidate.load(options);
  } catch (error) {
    if (error instanceof Unavailable) return error.message;
    if (isMissingPackage(error, candidate.package)) return `${candidate.package} is not installed`;
    return `${candidate.package} failed to load: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (tf.findBackendFactory(candidate.tfName) == null) {
    return `${candidate.package} loaded but registered no '${candidate.tfName}' backend`;
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(candidate.tfName);
  } catch (error) {
    return `tfjs could not initialize it: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (ok) return undefined;
  // tfjs logs the cause itself (console.warn) when a backend's initialization fails; for wasm that is
  // nearly always a binary that was not where it was looked for.
  if (candidate.name === 'wasm') return wasmNotFound(options.wasmPaths);
  return `tfjs could not initialize it (see the warning tfjs printed)`;
}

function forcedBackend(force: BackendName | undefined): { name: BackendName; source: string } | undefined {
  if (force !== undefined) {
    if (!isBackendName(force)) throw unknownBackend(`initBackend({ force: "${force}" })`);
    return { name: force, source: `initBackend({ force: "${force}" })` };
  }
  const env = globalThis.process?.env?.[BACKEND_ENV_VAR]?.trim();
  if (!env) return undefined;
  if (!isBackendName(env)) throw unknownBackend(`${BACKEND_ENV_VAR}=${env}`);
  return { name: env, source: `${BACKEND_ENV_VAR}=${env}` };
}

function preferredOrder(prefer: BackendName[] | undefined): readonly BackendName[] {
  if (prefer === undefined) return BACKEND_NAMES;
  if (prefer.length === 0) throw new BackendError('initBackend({ prefer: [] }) names no backend to try');
  for (const name of prefer) {
    if (!isBackendName(name)) throw unknownBackend(`initBackend({ prefer: [..., "${name}"] })`);
  }
  return prefer;
}

function unknownBackend(source: string): BackendError {
  return new BackendError(`${source}: unknown backend; expected one of ${BACKEND_NAMES.join(', ')}`);
}

function unavailable(source: string, candidate: Candidate, reason: string): BackendError {
  return new BackendError(
    `${source} asks for the ${candidate.name} backend, which is unavailable: ${reason}; ${candidate.install}`,
  );
}

/**
 * e.g. "genzoo: backend wasm (@tensorflow/tfjs-backend-wasm; SIMD; single-threaded; kernel pack: …); skipped …",
 * "genzoo: backend webgpu (@tensorflow/tfjs-backend-webgpu; SIMD; multi-threaded; adapter: nvidia ampere …)"
 */
function summary(info: BackendInfo): string {
  const traits = [
    info.package,
    info.simd ? 'SIMD' : 'no SIMD',
    info.threads ? 'multi-threaded' : 'single-threaded',
    ...(info.kernelPack.length > 0 ? [`kernel pack: ${info.kernelPack.join(', ')}`] : []),
    ...(info.adapter ? [`adapter: ${formatAdapter(info.adapter)}`] : []),
  ];
  const skipped = info.skipped.map((s) => `${s.name} (${s.reason})`).join(', ');
  return `genzoo: backend ${info.name} (${traits.join('; ')})${skipped ? `; skipped ${skipped}` : ''}`;
}

function wasmNotFound(paths: WasmPaths | undefined): string {
  const where =
    paths === undefined
      ? "next to @tensorflow/tfjs-backend-wasm (in a browser: beside the page's script)"
      : typeof paths === 'string'
        ? `under ${paths}`
        : `at ${Object.entries(paths)
            .map(([file, path]) => `${file} → ${path}`)
            .join(', ')}`;
  return (
    `tfjs could not load its binary (${WASM_FILES.slice(0, 2).join(' or ')}) ${where}; ` +
    'serve the files of @tensorflow/tfjs-backend-wasm/dist and pass initBackend({ wasmPaths })'
  );
}
