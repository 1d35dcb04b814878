/**
 * What a model or an error says about itself survives what apps do to code: error names are literals
 * (minifiers rename classes), and a checkpoint records the seed and classes the registry created the
 * model with, not the run's, since a model's seed can decide more than its initial weights.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryCheckpointStorage, readManifest } from '../src/checkpoint/index.js';
import { ConfigError, GenzooError, RunFolderError } from '../src/errors.js';
import { creationContext } from '../src/registry/registry.js';
import { trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import { ArrayDataset, gaussianData, toyRef, toyRegistry, useCpu } from './trainer-fixtures.js';

beforeAll(useCpu);

describe('error kinds', () => {
  it('name errors by their literal kind, whatever the class is called', () => {
    expect(new ConfigError('x').name).toBe('ConfigError');
    expect(new RunFolderError('x').name).toBe('RunFolderError');
    // What a minifier makes of `class ConfigError extends GenzooError { static kind = 'ConfigError' }`.
    const Zn = class extends GenzooError {
      static override readonly kind = 'ConfigError';
    };
    const minified = new Zn('renamed');
    expect(minified.name).toBe('ConfigError');
    expect(minified).toBeInstanceOf(ConfigError);
    expect(minified).toBeInstanceOf(GenzooError);
    // A subclass without a kind of its own is named by its class, and is still what it extends.
    class PluginError extends ConfigError {}
    const own = new PluginError('mine');
    expect(own.name).toBe('PluginError');
    expect(own).toBeInstanceOf(ConfigError);
    expect(new ConfigError('x')).not.toBeInstanceOf(PluginError);
  });
});

describe('creation context', () => {
  it("records the registry's seed and classes in the checkpoint, not the run's", async () => {
    const registry = toyRegistry();
    const model = registry.createModel('toy-ae', {}, { eventShape: [2], seed: 5, numClasses: 3 });
    expect(creationContext(model)).toEqual({ eventShape: [2], seed: 5, numClasses: 3 });
    const storage = memoryCheckpointStorage();
    try {
      await new Trainer({
        model,
        modelRef: toyRef('toy-ae'),
        train: new ArrayDataset('blobs', gaussianData(8, [0, 0], 1, 1), [2]),
        config: trainConfigSchema.parse({ steps: 1, batchSize: 4, seed: 3 }),
        checkpoints: storage,
      }).run();
      const manifest = await readManifest(storage);
      expect(manifest.model.seed).toBe(5);
      expect(manifest.model.numClasses).toBe(3);
    } finally {
      model.dispose();
    }
  });
});
