import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { gatedPixelcnnDefinition } from './gated-pixelcnn/index.js';
import { madeDefinition } from './made/index.js';
import { multiscalePixelcnnDefinition } from './multiscale-pixelcnn/index.js';
import { nadeDefinition } from './nade/index.js';
import { pixelcnnDefinition } from './pixelcnn/index.js';

/** The autoregressive family as a plugin: register with `registerPlugin(autoregressivePlugin)`. */
export const autoregressivePlugin: GenzooPlugin = {
  name: '@genzoo/autoregressive',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [
    nadeDefinition,
    madeDefinition,
    pixelcnnDefinition,
    gatedPixelcnnDefinition,
    multiscalePixelcnnDefinition,
  ],
};
