import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { biganDefinition } from './bigan/definition.js';
import { cganDefinition } from './cgan/definition.js';
import { cycleganDefinition } from './cyclegan/definition.js';
import { dcganDefinition } from './dcgan/definition.js';
import { ganDefinition } from './gan/definition.js';
import { wganDefinition } from './wgan/definition.js';
import { wganGpDefinition } from './wgan-gp/definition.js';

/** The GAN family as a plugin: register with `registerPlugin(ganPlugin)`. */
export const ganPlugin: GenzooPlugin = {
  name: '@genzoo/gan',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [
    ganDefinition,
    dcganDefinition,
    wganDefinition,
    wganGpDefinition,
    cganDefinition,
    biganDefinition,
    cycleganDefinition,
  ],
};
