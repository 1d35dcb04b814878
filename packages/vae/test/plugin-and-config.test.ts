/** The plugin object, config validation (errors name the key) and the reproduce recipes. */
import { readFileSync } from 'node:fs';
import { ConfigError, PluginRegistry, ShapeError, trainConfigSchema } from '@genzoo/core';
import { parseDatasetOptions } from '@genzoo/datasets/node';
import { beforeAll, describe, expect, it } from 'vitest';
import defaultExport, { vaePlugin } from '../src/index.js';
import { createVae, tf, useWasm } from './helpers.js';

beforeAll(useWasm);

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const registry = new PluginRegistry();
registry.register(vaePlugin);

describe('vaePlugin', () => {
  it('is the default export, carries the package name and version, and lists the six models', () => {
    expect(defaultExport).toBe(vaePlugin);
    expect(vaePlugin.name).toBe('@genzoo/vae');
    expect(vaePlugin.version).toBe(packageJson.version);
    expect(registry.listModels().map((m) => [m.name, m.family, m.likelihood])).toEqual([
      ['vae', 'vae', 'lowerBound'],
      ['beta-vae', 'vae', 'lowerBound'],
      ['cvae', 'vae', 'lowerBound'],
      ['iwae', 'vae', 'lowerBound'],
      ['hvae', 'vae', 'lowerBound'],
      ['nvae', 'vae', 'lowerBound'],
    ]);
  });

  it('creates models through the registry that are latent (and, for cvae, conditional) models', () => {
    const vae = registry.createModel('vae', {}, { eventShape: [28, 28, 1], seed: 0 });
    expect(vae.likelihood.kind).toBe('lowerBound');
    expect('numClasses' in vae).toBe(false);
    const cvae = registry.createModel('cvae', {}, { eventShape: [784], numClasses: 10, seed: 0 });
    expect((cvae as unknown as { numClasses: number }).numClasses).toBe(10);
    vae.dispose();
    cvae.dispose();
  });
});

describe('config validation', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['vae', { latentDim: 0 }, /latentDim: Too small/],
    ['vae', { latentdim: 4 }, /unknown key\(s\) "latentdim" at \(root\)/],
    ['vae', { network: { kind: 'rnn' } }, /network\.kind/],
    ['vae', { network: { kind: 'mlp', hidden: [512, -1] } }, /network\.hidden\.1/],
    ['vae', { network: { kind: 'conv', channels: [] } }, /network\.channels/],
    ['vae', { likelihood: { kind: 'gaussian-fixed', variance: 0 } }, /likelihood\.variance/],
    ['vae', { likelihood: { kind: 'gaussian-learned', per: 'row' } }, /likelihood\.per/],
    ['vae', { estimator: 'reinforce' }, /estimator/],
    ['vae', { freeBits: -1 }, /freeBits/],
    ['beta-vae', { beta: 0 }, /beta: Too small/],
    ['iwae', { k: 0 }, /k: Too small/],
    ['iwae', { freeBits: 0.5 }, /freeBits: free bits floor the ELBO’s KL term/],
    ['iwae', { samples: 2 }, /unknown key\(s\) "samples"/],
    ['hvae', { bound: 'iwae', k: 5, freeBits: 0.5 }, /freeBits/],
    ['hvae', { latentDims: [100] }, /latentDims/],
    ['nvae', { groupsPerScale: 0 }, /groupsPerScale: Too small/],
    ['nvae', { likelihood: { kind: 'gaussian-learned', per: 'image' } }, /likelihood\.per/],
  ];
  for (const [model, config, message] of cases) {
    it(`${model} ${JSON.stringify(config)} is rejected, naming the key`, () => {
      expect(() => registry.parseConfig(model, config)).toThrow(ConfigError);
      expect(() => registry.parseConfig(model, config)).toThrow(message);
    });
  }

  it('reads a network without `kind` as an MLP, so one key can be set alone', () => {
    expect(registry.parseConfig('beta-vae', { network: { hidden: [128] } })).toMatchObject({
      network: { kind: 'mlp', hidden: [128], activation: 'relu' },
    });
  });

  it('fills every default, so a parsed config is a complete plain-JSON description', () => {
    const parsed = registry.parseConfig('vae', {});
    expect(parsed).toEqual({
      latentDim: 20,
      network: { kind: 'mlp', hidden: [512, 256], activation: 'relu' },
      likelihood: { kind: 'bernoulli' },
      sampleOutput: 'mean',
      klWarmupSteps: 0,
      freeBits: 0,
      estimator: 'reparameterization',
      baseline: 'leave-one-out',
      samples: 1,
    });
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
    expect(registry.parseConfig('hvae', {})).toMatchObject({
      latentDims: [100, 50],
      activation: 'tanh',
      bound: 'elbo',
      k: 1,
    });
  });

  it('rejects data a model cannot take, naming the problem', () => {
    expect(() => createVae('vae', { network: { kind: 'conv' } }, { eventShape: [10] })).toThrow(
      /network.kind "conv" needs image data/,
    );
    expect(() =>
      createVae('vae', { network: { kind: 'conv', channels: [8, 8, 8] } }, { eventShape: [28, 28, 1] }),
    ).toThrow(/3 stride-2 layers need the image height and width divisible by 8/);
    expect(() => createVae('cvae', {}, { eventShape: [784] })).toThrow(
      /cvae is class-conditional and needs labelled data/,
    );
    const model = createVae('vae', { latentDim: 2, network: { kind: 'mlp', hidden: [] } });
    expect(() => model.encode(tf.zeros([2, 783]))).toThrow(ShapeError);
    expect(() => model.decode(tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(
      /vae.decode: z must be \[n, 2\], got \[2, 3\]/,
    );
    model.dispose();
    const cvae = createVae('cvae', { latentDim: 2 }, { numClasses: 10 });
    expect(() => cvae.encode(tf.zeros([2, 784]), { condition: tf.zeros([2, 9]) as tf.Tensor2D })).toThrow(
      /cvae: encode: condition must be one-hot labels \[2, 10\], got \[2, 9\]/,
    );
    cvae.dispose();
  });
});

describe('reproduce recipes', () => {
  it('validate against the model, training and dataset schemas, and their quick variants are short', () => {
    for (const model of vaePlugin.models) {
      const names = model.reproduce.map((r) => r.name);
      expect(new Set(names).size, model.name).toBe(names.length);
      for (const recipe of model.reproduce) {
        const where = `${model.name}/${recipe.name}`;
        expect(recipe.suite, where).toBe('vae');
        expect(['nll_nats', 'bits_per_dim'], where).toContain(recipe.metric);
        const data = parseDatasetOptions(recipe.dataset, recipe.datasetOptions);
        expect(model.configSchema.safeParse(recipe.config).success, where).toBe(true);
        const train = trainConfigSchema.parse(recipe.train);
        expect(train.epochs, where).toBeGreaterThan(0);
        if (recipe.dataset !== 'mnist-10k' && !recipe.onlyWhenAsked) {
          // The suite's Fashion-MNIST protocol: K = 5000 on the whole test set, K = 1000 (or fewer, where
          // a decoder is slow) on the first 1000 images in --quick.
          expect(recipe.evaluation, where).toEqual({ samples: 5000 });
          expect(recipe.quick?.evaluation?.limit, where).toBe(1000);
          const quick = trainConfigSchema.parse({ ...recipe.train, ...recipe.quick?.train });
          expect(quick.epochs, where).toBeLessThanOrEqual(1);
        }
        if (data.binarize !== 'none')
          expect(
            (model.configSchema.parse(recipe.config) as { likelihood: { kind: string } }).likelihood.kind,
            where,
          ).toBe('bernoulli');
        else expect(data.dequantize, where).toBe(true);
      }
    }
  });

  it('includes the IWAE paper recipes on MNIST, run only when asked, with the 3^i-epoch schedule', () => {
    const paper = vaePlugin.models.flatMap((m) =>
      m.reproduce.filter((r) => r.onlyWhenAsked).map((r) => [m.name, r] as const),
    );
    expect(paper.map(([m, r]) => `${m}/${r.name}`)).toEqual([
      'vae/mnist-burda',
      'iwae/mnist-burda-k5',
      'iwae/mnist-burda-k50',
      'hvae/mnist-burda-k1',
      'hvae/mnist-burda-k50',
    ]);
    for (const [, recipe] of paper) {
      expect(recipe.dataset).toBe('mnist');
      const train = trainConfigSchema.parse(recipe.train);
      expect(train.epochs).toBe(3280);
      expect(train.batchSize).toBe(20);
      expect(train.schedule).toEqual({
        kind: 'step',
        boundaries: [1, 4, 13, 40, 121, 364, 1093].map((e) => e * 3000),
        factor: 10 ** (-1 / 7),
      });
    }
  });

  it('gives vae and cvae mnist-10k defaults for `genzoo train <model> --dataset mnist-10k`', () => {
    for (const name of ['vae', 'cvae']) {
      const recipe = registry.get(name).definition.reproduce.find((r) => r.dataset === 'mnist-10k');
      expect(recipe?.datasetOptions).toEqual({ binarize: 'dynamic' });
    }
  });
});
