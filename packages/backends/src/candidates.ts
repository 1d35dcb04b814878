/**
 * How each backend is loaded. Importing a tfjs backend package registers the backend with tfjs as a side
 * effect; the native ones are optional peer dependencies, so they are imported only when tried and may
 * be missing. Loading wasm also registers genzoo's wasm kernel pack (./wasm/pack.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './types.js';
import { registerWasmKernelPack } from './wasm/pack.js';

/** The range of tfjs versions genzoo's packages ask for as peers. */
const TFJS_RANGE = '^4.22.0';

/** The binaries tfjs-backend-wasm fetches: plain, SIMD, and SIMD with threads (not in Node). */
export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/**
 * Where the wasm backend's binaries are: a folder or URL prefix ending in `/` that holds all of
 * WASM_FILES, or one path or URL per file. Default: next to the tfjs-backend-wasm package (Node), or
 * beside the page's script (browsers), which a bundled app usually does not serve.
 */
export type WasmPaths = string | Partial<Record<(typeof WASM_FILES)[number], string>>;

export interface LoadOptions {
  wasmPaths?: WasmPaths;
}

export interface Candidate {
  name: BackendName;
  /** The npm package that provides the backend. */
  package: string;
  /** The name the package registers the backend under in tfjs. */
  tfName: string;
  /** What to do to make the backend available. */
  install: string;
  /** Imports the package (registering its backend); rejects when it is missing or broken. */
  load(options?: LoadOptions): Promise<void>;
  /** Whether the loaded backend uses SIMD and threads; called once it is the active backend. */
  features(): Promise<{ simd: boolean; threads: boolean }>;
}

/**
 * The import specifier is a variable so that bundlers (esbuild/tsup, webpack, vite) leave these optional
 * packages as runtime imports instead of failing the build when they are not installed.
 */
async function importOptional(specifier: string): Promise<void> {
  await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

let wasmPackInstalled = false;

/** Both native packages register 'tensorflow'; loading the second one would replace the first. */
let nativePackageLoaded: string | undefined;

function native(name: BackendName, pkg: string, requirements: string): Candidate {
  return {
    name,
    package: pkg,
    tfName: 'tensorflow',
    install: `install it with \`npm install ${pkg}@${TFJS_RANGE}\` (${requirements})`,
    async load() {
      if (nativePackageLoaded !== undefined && nativePackageLoaded !== pkg) {
        throw new Error(
          `${nativePackageLoaded} is already loaded in this process and owns the 'tensorflow' backend`,
        );
      }
      await importOptional(pkg);
      nativePackageLoaded = pkg;
    },
    // TensorFlow's own CPU kernels are vectorized and run on an intra-op thread pool.
    features: async () => ({ simd: true, threads: true }),
  };
}

export const CANDIDATES: Record<BackendName, Candidate> = {
  'tensorflow-gpu': native(
    'tensorflow-gpu',
    '@tensorflow/tfjs-node-gpu',
    'Linux x64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1',
  ),
  tensorflow: native(
    'tensorflow',
    '@tensorflow/tfjs-node',
    'a platform with a prebuilt libtensorflow: Linux x64, macOS or Windows x64',
  ),
  wasm: {
    name: 'wasm',
    package: '@tensorflow/tfjs-backend-wasm',
    tfName: 'wasm',
    install: `it is an optional peer dependency of @genzoo/backends: \`npm install @tensorflow/tfjs-backend-wasm@${TFJS_RANGE}\``,
    async load(options = {}) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (options.wasmPaths !== undefined) wasm.setWasmPaths(options.wasmPaths);
      // Once, when the backend is first loaded, so that a later unregisterWasmKernelPack() sticks.
      if (!wasmPackInstalled) {
        registerWasmKernelPack();
        wasmPackInstalled = true;
      }
    },
    async features() {
      return {
        simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
        threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
      };
    },
  },
  cpu: {
    name: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    tfName: 'cpu',
    install: `it is a peer dependency of @genzoo/core: \`npm install @tensorflow/tfjs-backend-cpu@${TFJS_RANGE}\``,
    async load() {
      await import('@tensorflow/tfjs-backend-cpu');
    },
    features: async () => ({ simd: false, threads: false }),
  },
};

/**
 * True when `error` says that `pkg` itself could not be found, as opposed to `pkg` failing while it
 * loads (a missing native binding, say, whose path also contains the package name). Resolvers quote
 * the unresolved specifier: Node "Cannot find package '…'", "Cannot find module '…'"; Vite "Could not
 * resolve "…"".
 */
export function isMissingPackage(error: unknown, pkg: string): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`);
}
