/**
 * Oversized requests fail at once with a ResourceError that names their cause, before anything is
 * allocated: a model's parameters against the parameter budget (PNG limits: pictures/test/png-limits).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError, ResourceError } from '../src/errors.js';
import { initializers, PARAMETER_BYTES_ENV, ParameterStore } from '../src/nn/params.js';
import { defineModel } from '../src/registry/plugin.js';
import { PluginRegistry } from '../src/registry/registry.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  delete process.env[PARAMETER_BYTES_ENV];
});

/** The error `fn` throws, and how long it took to throw it. */
function thrown(fn: () => unknown): { error: unknown; ms: number } {
  const start = performance.now();
  try {
    fn();
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
  throw new Error('expected an error');
}

describe('ParameterStore budget', () => {
  it('refuses an oversized variable at once, naming key, shape, estimate and limit, without allocating', () => {
    const store = new ParameterStore('huge', 0);
    const init = vi.fn(initializers.glorotUniform());
    const before = tf.memory().numTensors;
    const { error, ms } = thrown(() => store.create('encoder/dense0/kernel', [784, 1_000_000], init));
    expect(error).toBeInstanceOf(ResourceError);
    const message = (error as Error).message;
    expect(message).toContain('"encoder/dense0/kernel"');
    expect(message).toContain('[784, 1000000]');
    expect(message).toContain('2.92 GiB');
    expect(message).toContain('over the limit of 1 GiB');
    expect(message).toContain(PARAMETER_BYTES_ENV);
    expect(ms).toBeLessThan(1000);
    expect(init).not.toHaveBeenCalled();
    expect(tf.memory().numTensors).toBe(before);
    store.dispose();
  });

  it('sums the variables it holds, derived ones included, and reads the limit from the environment', () => {
    process.env[PARAMETER_BYTES_ENV] = '4000';
    const store = new ParameterStore('budget', 0);
    store.create('a', [500], initializers.zeros());
    store.createDerived('mask', [500], initializers.ones());
    const before = tf.memory().numTensors;
    const { error } = thrown(() => store.create('b', [1], initializers.zeros()));
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as Error).message).toMatch(
      /parameter "b" of shape \[1\] \(4 bytes\) would bring the model's parameters to about 3\.91 KiB, over the limit of 3\.91 KiB/,
    );
    expect(tf.memory().numTensors).toBe(before);
    store.dispose();
    // A disposed store starts over.
    store.create('c', [1000], initializers.zeros());
    store.dispose();
  });

  it('rejects a limit that is not a positive number of bytes', () => {
    process.env[PARAMETER_BYTES_ENV] = 'lots';
    const store = new ParameterStore('bad-limit', 0);
    expect(() => store.create('a', [1], initializers.zeros())).toThrow(ConfigError);
    expect(() => store.create('a', [1], initializers.zeros())).toThrow(/GENZOO_MAX_PARAMETER_BYTES.*"lots"/);
  });
});

describe('PluginRegistry.createModel', () => {
  const CONTEXT = { eventShape: [2], seed: 0 };

  /** A model of two width × width layers; `fail` throws what an engine throws instead. */
  function registry(fail?: Error): PluginRegistry {
    const r = new PluginRegistry();
    r.register({
      name: '@genzoo/wide',
      version: '1.0.0',
      models: [
        defineModel({
          name: 'wide',
          family: 'test',
          description: 'two square dense layers',
          likelihood: 'none',
          configSchema: z.strictObject({
            width: z.number().int().positive().default(8),
            depth: z.number().int().positive().default(2),
            hidden: z.array(z.number().int()).default([3, 5]),
          }),
          create: ({ width }) => {
            if (fail) throw fail;
            const store = new ParameterStore('wide', 0);
            try {
              for (const key of ['dense0', 'dense1'])
                store.create(`${key}/kernel`, [width, width], initializers.zeros());
            } catch (error) {
              store.dispose();
              throw error;
            }
            throw new Error('the test only builds parameters');
          },
          reproduce: [],
        }),
      ],
    });
    return r;
  }

  it('names the largest size options when the parameters do not fit', () => {
    const { error, ms } = thrown(() => registry().createModel('wide', { width: 20_000 }, CONTEXT));
    expect(error).toBeInstanceOf(ResourceError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^model "wide" does not fit in memory: parameter "dense0\/kernel" of shape \[20000, 20000\]/,
    );
    expect(message).toMatch(/its largest size options are width=20000, hidden=\[3,5\], depth=2$/);
    expect(ms).toBeLessThan(1000);
  });

  it('turns the engine’s allocation failures into a ResourceError, and passes other errors on', () => {
    const engine = new RangeError('Invalid typed array length: 4000000000');
    const { error } = thrown(() => registry(engine).createModel('wide', { width: 1e9 }, CONTEXT));
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as Error).message).toContain('Invalid typed array length');
    expect((error as Error).message).toContain('width=1000000000');
    const other = new TypeError('a bug');
    expect(thrown(() => registry(other).createModel('wide', {}, CONTEXT)).error).toBe(other);
  });
});
