/** Backend selection, second-order gradients and genzoo's wasm kernel pack. */

export { formatAdapter, type LoadOptions, WASM_FILES, type WasmPaths } from './candidates.js';
export { BACKEND_ENV_VAR, backendInfo, type InitBackendOptions, initBackend, withBackend } from './init.js';
export { type AdapterInfo, BACKEND_NAMES, type BackendInfo, type BackendName } from './types.js';
export { registerWasmKernelPack, unregisterWasmKernelPack } from './wasm/pack.js';
