/**
 * The plugin and its configs: every model registers with a strict schema, bad configs are errors that
 * name the problem, samples have the data's shape and range, conditional models demand labels, batch
 * norm's running averages are checkpointed state, and sampling is seeded.
 */
import { ConfigError, isConditionalModel, PluginRegistry } from '@genzoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ganPlugin } from '../src/index.js';
import { createModel, SMALL_DCGAN, tf, useWasm, values } from './helpers.js';

beforeAll(useWasm);

describe('the gan plugin', () => {
  it('registers every model with likelihood none and a recipe', () => {
    const registry = new PluginRegistry();
    registry.register(ganPlugin);
    const models = registry.listModels();
    expect(models.map((m) => m.name)).toEqual([
      'gan',
      'dcgan',
      'wgan',
      'wgan-gp',
      'cgan',
      'bigan',
      'cyclegan',
      'stargan',
    ]);
    for (const m of models) expect(m.likelihood).toBe('none');
    for (const d of ganPlugin.models) expect(d.reproduce.length).toBeGreaterThan(0);
  });

  it('rejects bad configs with errors naming the key', () => {
    const registry = new PluginRegistry();
    registry.register(ganPlugin);
    expect(() => registry.parseConfig('gan', { latentDim: 0 })).toThrow(/latentDim/);
    expect(() => registry.parseConfig('gan', { loss: 'hinge' })).toThrow(/loss/);
    expect(() => registry.parseConfig('dcgan', { extra: 1 })).toThrow(/unknown key/);
    expect(() => registry.parseConfig('wgan-gp', { network: { discriminatorBatchNorm: true } })).toThrow(
      /network\.discriminatorBatchNorm: the critic of WGAN-GP must not use batch norm/,
    );
    expect(() => createModel('dcgan', {}, { eventShape: [2] })).toThrow(ConfigError);
    expect(() => createModel('dcgan', { network: SMALL_DCGAN }, { eventShape: [10, 10, 1] })).toThrow(
      /divisible by 4/,
    );
    expect(() => createModel('cgan', {}, { eventShape: [28, 28, 1] })).toThrow(/labelled data/);
  });

  it('merges a partial optimizer override over the model default', () => {
    const registry = new PluginRegistry();
    registry.register(ganPlugin);
    const config = registry.parseConfig('wgan', { optimizers: { generator: { learningRate: 1e-4 } } }) as {
      optimizers: Record<string, { name: string; learningRate: number }>;
    };
    expect(config.optimizers.generator).toMatchObject({ name: 'rmsprop', learningRate: 1e-4 });
    expect(config.optimizers.discriminator).toMatchObject({ name: 'rmsprop', learningRate: 5e-5 });
  });

  it('merges a partial network over the model default, and starts another kind from its own defaults', () => {
    const registry = new PluginRegistry();
    registry.register(ganPlugin);
    const parse = (network: object) =>
      (registry.parseConfig('wgan-gp', { network }) as { network: Record<string, unknown> }).network;
    expect(parse({ generatorChannels: [32, 16] })).toMatchObject({
      kind: 'dcgan',
      generatorChannels: [32, 16],
      discriminatorBatchNorm: false,
    });
    expect(parse({ kind: 'mlp' })).toMatchObject({ kind: 'mlp', generatorHidden: [256, 256] });
  });

  it('samples images of the event shape in the tanh range, the same for the same seed', () => {
    const model = createModel('dcgan', { latentDim: 8, network: SMALL_DCGAN }, { eventShape: [8, 8, 1] });
    const x = model.sample(5, { seed: 3 });
    expect(x.shape).toEqual([5, 8, 8, 1]);
    const v = values(x);
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(values(model.sample(5, { seed: 3 }))).toEqual(v);
    expect(values(model.sample(5, { seed: 4 }))).not.toEqual(v);
    model.dispose();
  });

  it('keeps batch norm running averages as non-trainable, checkpointed state', () => {
    const model = createModel('dcgan', { latentDim: 8, network: SMALL_DCGAN }, { eventShape: [8, 8, 1] });
    const variables = model.variables();
    const running = Object.keys(variables).filter((k) => k.includes('running'));
    expect(running.length).toBeGreaterThan(0);
    for (const key of running) {
      expect(key.startsWith('generator/')).toBe(true);
      expect(variables[key].trainable).toBe(false);
    }
    const before = values(variables['generator/net/projectNorm/runningMean'].clone());
    tf.tidy(() =>
      model.generate(tf.randomNormal([16, 8], 0, 1, 'float32', 1) as tf.Tensor2D, undefined, true),
    );
    expect(values(variables['generator/net/projectNorm/runningMean'].clone())).not.toEqual(before);
    model.dispose();
  });

  it('a conditional model needs one-hot labels to sample, and draws per class', () => {
    const model = createModel(
      'cgan',
      { latentDim: 8, network: SMALL_DCGAN },
      { eventShape: [8, 8, 1], numClasses: 3 },
    );
    expect(isConditionalModel(model)).toBe(true);
    expect(() => model.sample(4)).toThrow(/needs `condition`/);
    const condition = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3) as tf.Tensor2D;
    const x = model.sample(4, { seed: 1, condition });
    expect(x.shape).toEqual([4, 8, 8, 1]);
    const v = values(x);
    // Same noise, different labels: the projection and embedding make the images differ.
    const other = tf.oneHot(tf.tensor1d([1, 2, 0, 1], 'int32'), 3) as tf.Tensor2D;
    expect(values(model.sample(4, { seed: 1, condition: other }))).not.toEqual(v);
    tf.dispose([condition, other]);
    model.dispose();
  });

  it('the training plan runs the discriminator discriminatorSteps times per generator step', () => {
    const model = createModel('wgan', { latentDim: 4, network: SMALL_DCGAN }, { eventShape: [8, 8, 1] });
    const plan = model.trainingPlan();
    expect(plan.players.map((p) => p.name)).toEqual(['discriminator', 'generator']);
    expect(plan.schedule).toEqual([
      { player: 'discriminator', repeat: 5 },
      { player: 'generator', repeat: 1 },
    ]);
    const names = (i: number) =>
      (plan.players[i] as { variables(): tf.Variable[] }).variables().map((v) => v.name);
    expect(names(0).every((n) => n.includes('/discriminator/'))).toBe(true);
    expect(names(1).every((n) => n.includes('/generator/'))).toBe(true);
    model.dispose();
  });
});
