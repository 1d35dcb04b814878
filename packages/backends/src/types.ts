/** The names genzoo uses for the tfjs backends it can run on, fastest first. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;

/**
 * A backend genzoo can select. `tensorflow-gpu` and `tensorflow` are the native bindings from
 * `@tensorflow/tfjs-node-gpu` and `@tensorflow/tfjs-node`; both register themselves in tfjs as
 * `'tensorflow'` (see {@link BackendInfo.tfName}). `webgpu` is `@tensorflow/tfjs-backend-webgpu` on the
 * browser's WebGPU, or in Node on Dawn's (the `webgpu` npm package).
 */
export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** What {@link initBackend} selected, and why it did not select the ones before it. */
export interface BackendInfo {
  /** genzoo's name of the selected backend. */
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`, `tf.setBackend()`). */
  tfName: string;
  /** The npm package that provides it. */
  package: string;
  /** Kernels use SIMD instructions (the wasm SIMD build, or native TensorFlow). */
  simd: boolean;
  /** Kernels run on more than one thread. */
  threads: boolean;
  /** Kernels genzoo's own pack registered for this backend (empty unless wasm). */
  kernelPack: string[];
  /** Backends tried before this one, with the reason each could not be used. */
  skipped: Array<{ name: BackendName; reason: string }>;
  /** The GPU the webgpu backend runs on; absent for the other backends. */
  adapter?: AdapterInfo;
}

/** A WebGPU adapter as it describes itself (GPUAdapterInfo); empty strings where it says nothing. */
export interface AdapterInfo {
  /** e.g. `nvidia`, `apple`, `mesa`. */
  vendor: string;
  /** e.g. `ampere`, `metal-3`, `software`. */
  architecture: string;
  device: string;
  description: string;
  /**
   * The adapter runs on the CPU: the implementation's fallback adapter (`isFallbackAdapter`), or a
   * software rasterizer (Mesa's lavapipe/llvmpipe, SwiftShader) presented as a GPU. It is never chosen
   * unless asked for by name: genzoo's wasm kernels are faster on the same CPU.
   */
  software: boolean;
}
