/**
 * Output heads as config: `{ kind: 'bernoulli' }` for binarized data, `{ kind: 'categorical', categories:
 * 256 }` for 8-bit values (or `values: 'index'` for integer codes), `{ kind: 'logistic-mixture',
 * components: 5 }` for 8-bit pixels of any channel count, `{ kind: 'gaussian' | 'logistic' }` for real
 * values.
 */
import { ConfigError } from '@genzoo/core';
import { z } from 'zod';
import { BernoulliHead } from './bernoulli.js';
import { CategoricalHead } from './categorical.js';
import { ContinuousHead } from './continuous.js';
import { LogisticMixtureHead } from './logistic-mixture.js';
import type { OutputHead } from './types.js';

export const headSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bernoulli') }),
  z.strictObject({
    kind: z.literal('categorical'),
    categories: z.number().int().min(2).max(65536).default(256),
    values: z.enum(['unit', 'index']).default('unit'),
  }),
  z.strictObject({
    kind: z.literal('logistic-mixture'),
    components: z.number().int().min(1).max(100).default(5),
    levels: z.number().int().min(2).max(65536).default(256),
  }),
  z.strictObject({ kind: z.literal('gaussian') }),
  z.strictObject({ kind: z.literal('logistic') }),
]);

export type HeadConfig = z.infer<typeof headSchema>;

/** The head for `config` at positions holding `channels` values each (pixel channels; 1 for vectors). */
export function buildHead(config: HeadConfig, channels: number): OutputHead {
  if (config.kind === 'logistic-mixture')
    return new LogisticMixtureHead(channels, config.components, config.levels);
  if (channels !== 1) {
    throw new ConfigError(
      `head "${config.kind}" models one value per position, but the data has ${channels} channels per pixel: ` +
        'use head.kind "logistic-mixture", which models the channels of a pixel jointly',
    );
  }
  switch (config.kind) {
    case 'bernoulli':
      return new BernoulliHead();
    case 'categorical':
      return new CategoricalHead(config.categories, config.values);
    case 'gaussian':
    case 'logistic':
      return new ContinuousHead(config.kind);
  }
}
