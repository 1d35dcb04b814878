import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { biganDefinition } from './bigan/index.js';
import { cganDefinition } from './cgan/index.js';
import { cycleganDefinition } from './cyclegan/index.js';
import { dcganDefinition } from './dcgan/index.js';
import { ganDefinition } from './gan/index.js';
import { starganDefinition } from './stargan/index.js';
import { wganDefinition } from './wgan/index.js';
import { wganGpDefinition } from './wgan-gp/index.js';

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
    starganDefinition,
  ],
};
