/**
 * Backend selection. Here (as in CI) the native tfjs-node packages are not installed and WebGPU has at
 * most a software adapter (lavapipe), so the default order lands on wasm; each test that needs a first
 * call gets a fresh copy of the module.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type BackendModule = typeof import('../src/index.js') & typeof import('@genzoo/core');

/** A fresh copy of the backend module: no backend selected yet (tfjs's own registries persist). */
async function freshModule(): Promise<BackendModule> {
  vi.resetModules();
  return { ...(await import('../src/index.js')), ...(await import('@genzoo/core')) };
}

const PACK = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  '_FusedMatMul',
  'Transpose',
  'Sum',
  'Tanh',
];

let savedEnv: string | undefined;
beforeEach(() => {
  savedEnv = process.env.GENZOO_BACKEND;
  delete process.env.GENZOO_BACKEND;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.GENZOO_BACKEND;
  else process.env.GENZOO_BACKEND = savedEnv;
  vi.restoreAllMocks();
});

describe('initBackend', () => {
  it('tries tensorflow-gpu, tensorflow, webgpu, then wasm, and says why it skipped the others', async () => {
    const { initBackend, backendInfo } = await freshModule();
    expect(backendInfo()).toBeUndefined();
    const info = await initBackend({ quiet: true });
    expect(info).toMatchObject({
      name: 'wasm',
      tfName: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      simd: true,
      kernelPack: PACK,
    });
    expect(info.skipped).toEqual([
      { name: 'tensorflow-gpu', reason: '@tensorflow/tfjs-node-gpu is not installed' },
      { name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' },
      {
        name: 'webgpu',
        reason: expect.stringMatching(/^(software adapter llvmpipe; force it|WebGPU found no adapter)/),
      },
    ]);
    expect(info.adapter).toBeUndefined();
    expect(tf.getBackend()).toBe('wasm');
    expect(backendInfo()).toBe(info);
  });

  it('is idempotent, and restores its backend if someone switched away', async () => {
    const { initBackend } = await freshModule();
    const first = await initBackend({ quiet: true });
    await tf.setBackend('cpu');
    const second = await initBackend({ quiet: true, prefer: ['cpu'] });
    expect(second).toBe(first);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('registers all gradients, including the zero gradients of comparisons', async () => {
    const { initBackend } = await freshModule();
    await initBackend({ quiet: true });
    for (const kernel of ['BatchMatMul', 'Conv2D', 'Greater', 'Less', 'Equal', 'LogicalAnd', 'EluGrad']) {
      expect(tf.getGradient(kernel), kernel).toBeDefined();
    }
  });

  it('follows `prefer`', async () => {
    const { initBackend } = await freshModule();
    const info = await initBackend({ quiet: true, prefer: ['cpu', 'wasm'] });
    expect(info).toMatchObject({
      name: 'cpu',
      package: '@tensorflow/tfjs-backend-cpu',
      kernelPack: [],
      skipped: [],
    });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('switches when a later call forces another backend', async () => {
    const { initBackend, backendInfo } = await freshModule();
    await initBackend({ quiet: true });
    const cpu = await initBackend({ quiet: true, force: 'cpu' });
    expect(cpu.name).toBe('cpu');
    expect(backendInfo()).toBe(cpu);
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ quiet: true, force: 'wasm' })).name).toBe('wasm');
  });

  it('honours GENZOO_BACKEND, and `force` overrides it', async () => {
    const { initBackend } = await freshModule();
    process.env.GENZOO_BACKEND = 'cpu';
    expect((await initBackend({ quiet: true })).name).toBe('cpu');
    expect((await initBackend({ quiet: true, force: 'wasm' })).name).toBe('wasm');
  });

  it('explains how to install a forced backend that is missing, and keeps the current one', async () => {
    const { initBackend, backendInfo, BackendError } = await freshModule();
    const wasm = await initBackend({ quiet: true });
    const attempt = initBackend({ quiet: true, force: 'tensorflow' });
    await expect(attempt).rejects.toThrow(BackendError);
    await expect(attempt).rejects.toThrow(
      /force: "tensorflow".*@tensorflow\/tfjs-node is not installed; install it with `npm install @tensorflow\/tfjs-node@\^4\.22\.0`/,
    );
    process.env.GENZOO_BACKEND = 'tensorflow-gpu';
    await expect(initBackend({ quiet: true })).rejects.toThrow(
      /GENZOO_BACKEND=tensorflow-gpu asks for the tensorflow-gpu backend.*CUDA/,
    );
    expect(backendInfo()).toBe(wasm);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects unknown backend names', async () => {
    const { initBackend, BackendError } = await freshModule();
    process.env.GENZOO_BACKEND = 'webgl';
    await expect(initBackend({ quiet: true })).rejects.toThrow(
      'GENZOO_BACKEND=webgl: unknown backend; expected one of tensorflow-gpu, tensorflow, webgpu, wasm, cpu',
    );
    delete process.env.GENZOO_BACKEND;
    await expect(initBackend({ quiet: true, prefer: [] })).rejects.toThrow(BackendError);
    // @ts-expect-error an invalid name from untyped input
    await expect(initBackend({ quiet: true, prefer: ['wasm', 'gpu'] })).rejects.toThrow(
      /"gpu".*unknown backend/,
    );
  });

  it('prints a one-line summary to stderr unless quiet', async () => {
    const { initBackend } = await freshModule();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await initBackend();
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toMatch(
      /^genzoo: backend wasm \(@tensorflow\/tfjs-backend-wasm; SIMD; .*kernel pack: Conv2DBackpropFilter.*\); skipped tensorflow-gpu/,
    );
  });
});

describe('webgpu', () => {
  type FakeAdapter = { info: Record<string, unknown> } | null;

  /** Runs `fn` with a navigator.gpu whose adapter is `adapter` (what a page or Dawn would give). */
  async function withAdapter<T>(adapter: FakeAdapter, fn: () => Promise<T>): Promise<T> {
    const scope = globalThis as { navigator?: object };
    const hadNavigator = scope.navigator !== undefined;
    scope.navigator ??= {};
    const saved = Object.getOwnPropertyDescriptor(scope.navigator, 'gpu');
    Object.defineProperty(scope.navigator, 'gpu', {
      value: { requestAdapter: async () => adapter },
      configurable: true,
    });
    try {
      return await fn();
    } finally {
      if (!hadNavigator) delete scope.navigator;
      else if (saved) Object.defineProperty(scope.navigator, 'gpu', saved);
      else delete (scope.navigator as { gpu?: unknown }).gpu;
    }
  }

  const swiftShader = {
    info: {
      vendor: 'google',
      architecture: '',
      device: '',
      description: 'SwiftShader',
      isFallbackAdapter: true,
    },
  };

  it('skips a software adapter unless forced, saying how to force it', async () => {
    const { initBackend } = await freshModule();
    const info = await withAdapter(swiftShader, () =>
      initBackend({ quiet: true, prefer: ['webgpu', 'cpu'] }),
    );
    expect(info.name).toBe('cpu');
    expect(info.skipped).toEqual([
      {
        name: 'webgpu',
        reason:
          "software adapter swiftshader; force it with GENZOO_BACKEND=webgpu or initBackend({ force: 'webgpu' })",
      },
    ]);
  });

  it('skips WebGPU without an adapter', async () => {
    const { initBackend } = await freshModule();
    const info = await withAdapter(null, () => initBackend({ quiet: true, prefer: ['webgpu', 'cpu'] }));
    expect(info.skipped).toEqual([
      { name: 'webgpu', reason: 'WebGPU found no adapter (no GPU, or no driver for it)' },
    ]);
  });

  it('accepts webgpu by name, and explains how to install it when it cannot start', async () => {
    const { initBackend } = await freshModule();
    process.env.GENZOO_BACKEND = 'webgpu';
    await expect(withAdapter(null, () => initBackend({ quiet: true }))).rejects.toThrow(
      /GENZOO_BACKEND=webgpu asks for the webgpu backend, which is unavailable: WebGPU found no adapter .*; in Node: `npm install webgpu @tensorflow\/tfjs-backend-webgpu@\^4\.22\.0`/,
    );
  });

  it('tells software adapters from hardware ones', async () => {
    const { describeAdapter, formatAdapter } = await import('../src/candidates.js');
    const lavapipe = describeAdapter({
      info: {
        vendor: 'mesa',
        architecture: 'software',
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
        description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
      },
    });
    expect(lavapipe.software).toBe(true);
    expect(formatAdapter(lavapipe)).toBe(
      'mesa software llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1 (software)',
    );
    expect(describeAdapter(swiftShader).software).toBe(true);
    // Browsers before GPUAdapterInfo.isFallbackAdapter said it on the adapter.
    expect(describeAdapter({ info: { vendor: 'google' }, isFallbackAdapter: true }).software).toBe(true);
    const nvidia = describeAdapter({
      info: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false },
    });
    expect(nvidia).toEqual({
      vendor: 'nvidia',
      architecture: 'ampere',
      device: '',
      description: '',
      software: false,
    });
    expect(formatAdapter(nvidia)).toBe('nvidia ampere');
  });
});

describe('withBackend', () => {
  it('runs on the given backend and restores the previous one', async () => {
    const { initBackend, withBackend } = await freshModule();
    await initBackend({ quiet: true });
    const inside = await withBackend('cpu', () => tf.getBackend());
    expect(inside).toBe('cpu');
    expect(tf.getBackend()).toBe('wasm');
    await expect(withBackend('tensorflow', () => 1)).rejects.toThrow(/tfjs-node is not installed/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('restores the previous backend when the function throws', async () => {
    const { initBackend, withBackend } = await freshModule();
    await initBackend({ quiet: true });
    await expect(
      withBackend('cpu', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('isMissingPackage', () => {
  it('tells a package that is not installed from one that fails while loading', async () => {
    const { isMissingPackage } = await import('../src/candidates.js');
    const pkg = '@tensorflow/tfjs-node';
    expect(isMissingPackage(new Error(`Cannot find package '${pkg}' imported from /app/index.js`), pkg)).toBe(
      true,
    );
    expect(isMissingPackage(new Error(`Cannot find module '${pkg}'\nRequire stack: ...`), pkg)).toBe(true);
    expect(isMissingPackage(new Error(`Could not resolve "${pkg}" imported by "@genzoo/core".`), pkg)).toBe(
      true,
    );
    const binding = `Cannot find module '/app/node_modules/${pkg}/lib/napi-v8/tfjs_binding.node'`;
    expect(isMissingPackage(new Error(binding), pkg)).toBe(false);
  });
});
