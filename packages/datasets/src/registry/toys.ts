/** The 2-D toy sets: generated, no files, so the platform-neutral main entry registers them. */
import { TOY_GENERATORS } from '../toy/index.js';
import { type DatasetDefinition, defineDataset } from './definition.js';
import { toyOptionsSchema } from './options.js';
import { toySplits } from './splits.js';

export const TOY_DATASETS: readonly DatasetDefinition[] = TOY_GENERATORS.map((generator) =>
  defineDataset({
    name: generator.name,
    description: `2-D toy set: ${generator.description}`,
    ...(generator.numClasses !== undefined ? { numClasses: generator.numClasses } : {}),
    optionsSchema: toyOptionsSchema,
    eventShape: () => [2],
    source: () => ({ found: true, where: 'generated' }),
    load: async (options) => toySplits(generator, options),
  }),
);
