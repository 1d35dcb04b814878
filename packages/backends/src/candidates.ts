/**
 * How each backend is loaded. Importing a tfjs backend package registers the backend with tfjs as a side
 * effect; the native ones are optional peer dependencies, so they are imported only when tried and may
 * be missing. Loading wasm also registers genzoo's wasm kernel pack (./wasm/pack.ts); loading webgpu
 * first finds a WebGPU adapter (in Node through the `webgpu` package) and turns software ones down.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AdapterInfo, BackendInfo, BackendName } from './types.js';
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

export interface CandidateLoadOptions extends LoadOptions {
  /**
   * The caller asked for this backend by name (`force`, GENZOO_BACKEND, `withBackend`) instead of letting
   * genzoo choose: a software WebGPU adapter is then accepted.
   */
  named?: boolean;
}

export interface Candidate {
  name: BackendName;
  /** The npm package that provides the backend. */
  package: string;
  /** The name the package registers the backend under in tfjs. */
  tfName: string;
  /** What to do to make the backend available. */
  install: string;
  /**
   * Imports the package (registering its backend); rejects when it is missing or broken, or with an
   * {@link Unavailable} that says why this backend cannot be used here.
   */
  load(options?: CandidateLoadOptions): Promise<void>;
  /** Whether the loaded backend uses SIMD and threads, and its GPU; called once it is the active backend. */
  features(): Promise<Pick<BackendInfo, 'simd' | 'threads' | 'adapter'>>;
}

/** Why a backend cannot be used here although its packages load: the message is the reason reported. */
export class Unavailable extends Error {}

/**
 * The import specifier is a variable so that bundlers (esbuild/tsup, webpack, vite) leave these optional
 * or Node-only modules as runtime imports instead of failing the build when they are not installed.
 */
async function importOptional<T = unknown>(specifier: string): Promise<T> {
  return await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
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

/** The parts of WebGPU used here (no dependency on @webgpu/types for them). */
interface Gpu {
  requestAdapter(options?: {
    powerPreference?: 'low-power' | 'high-performance';
  }): Promise<GpuAdapter | null>;
}
interface GpuAdapter {
  info?: Partial<Omit<AdapterInfo, 'software'>> & { isFallbackAdapter?: boolean };
  /** Where browsers reported it before it moved to `info`. */
  isFallbackAdapter?: boolean;
}

/** The `webgpu` package: Dawn's Node binding. */
interface Dawn {
  create(options: string[]): Gpu;
  globals: Record<string, unknown>;
}

/** The names of CPU implementations that present themselves as GPUs. */
const SOFTWARE_ADAPTERS = ['lavapipe', 'llvmpipe', 'swiftshader'];

/** What an adapter says about itself, and whether it is software. */
export function describeAdapter(adapter: GpuAdapter): AdapterInfo {
  const info = adapter.info ?? {};
  const described: AdapterInfo = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
  if (softwareName(described) !== undefined) described.software = true;
  return described;
}

/** The software implementation an adapter names (e.g. `llvmpipe`), if any. */
function softwareName(adapter: AdapterInfo): string | undefined {
  const text = [adapter.vendor, adapter.architecture, adapter.device, adapter.description]
    .join(' ')
    .toLowerCase();
  return SOFTWARE_ADAPTERS.find((name) => text.includes(name));
}

/** e.g. "mesa software llvmpipe: Mesa 25.0.7 (LLVM 15.0.6) (software)" */
export function formatAdapter(adapter: AdapterInfo): string {
  const name = [adapter.vendor, adapter.architecture, adapter.description || adapter.device].filter(Boolean);
  return `${name.join(' ') || 'unnamed adapter'}${adapter.software ? ' (software)' : ''}`;
}

/**
 * The page's navigator.gpu or, in Node, Dawn's from the `webgpu` package, installed as navigator.gpu (with
 * the GPU* constants as globals) because tfjs-backend-webgpu looks for it there, when it is imported.
 */
async function navigatorGpu(): Promise<Gpu> {
  const scope = globalThis as { navigator?: { gpu?: Gpu } };
  if (scope.navigator?.gpu) return scope.navigator.gpu;
  const node = globalThis.process?.versions?.node !== undefined;
  if (!node) throw new Unavailable('this browser has no WebGPU (navigator.gpu)');
  let gpu: Gpu;
  try {
    const dawn = await importOptional<Dawn>('webgpu');
    // Dawn's Vulkan path expects a runtime folder there (without one, some machines find no adapter):
    // a private one, removed on exit, where the environment names none.
    if (!process.env.XDG_RUNTIME_DIR) {
      const fs = await importOptional<typeof import('node:fs')>('node:fs');
      const os = await importOptional<typeof import('node:os')>('node:os');
      const dir = fs.mkdtempSync(`${os.tmpdir()}/genzoo-xdg-`);
      process.env.XDG_RUNTIME_DIR = dir;
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    for (const [name, value] of Object.entries(dawn.globals)) {
      if (!(name in globalThis)) Object.assign(globalThis, { [name]: value });
    }
    gpu = dawn.create([]);
  } catch (error) {
    if (isMissingPackage(error, 'webgpu')) {
      throw new Unavailable("webgpu (Dawn's WebGPU for Node) is not installed");
    }
    throw new Unavailable(
      `webgpu (Dawn) failed to load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Node 21+ has a navigator (without gpu); Node 20 has none.
  if (scope.navigator === undefined) scope.navigator = {};
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
  return gpu;
}

/** The adapter the webgpu backend runs on, found when it was loaded. */
let webgpuAdapter: AdapterInfo | undefined;

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
  webgpu: {
    name: 'webgpu',
    package: '@tensorflow/tfjs-backend-webgpu',
    tfName: 'webgpu',
    install:
      `in Node: \`npm install webgpu @tensorflow/tfjs-backend-webgpu@${TFJS_RANGE}\` and a GPU with a Vulkan, ` +
      `Metal or Direct3D 12 driver; in a browser: \`npm install @tensorflow/tfjs-backend-webgpu@${TFJS_RANGE}\`, ` +
      "`import '@tensorflow/tfjs-backend-webgpu'` in the app, and a browser with WebGPU",
    async load({ named = false } = {}) {
      const gpu = await navigatorGpu();
      // A browser app bundles the backend by importing it itself (which registers it); imported here only
      // at run time, so that apps without it still bundle.
      if (tf.findBackendFactory('webgpu') == null) await importOptional('@tensorflow/tfjs-backend-webgpu');
      // The adapter tfjs-backend-webgpu will ask for (its flag is registered by the import above).
      const adapter = await gpu.requestAdapter({
        powerPreference: tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance',
      });
      if (adapter === null) throw new Unavailable('WebGPU found no adapter (no GPU, or no driver for it)');
      const info = describeAdapter(adapter);
      if (info.software && !named) {
        // On the CPU it runs on, genzoo's wasm kernels are faster (a conv-net Adam step: 13× on 2 cores).
        throw new Unavailable(
          `software adapter ${softwareName(info) ?? formatAdapter(info)}; force it with ` +
            `GENZOO_BACKEND=webgpu or initBackend({ force: 'webgpu' })`,
        );
      }
      webgpuAdapter = info;
    },
    // A GPU runs each kernel across many threads and SIMD lanes.
    features: async () => ({ simd: true, threads: true, adapter: webgpuAdapter }),
  },
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
