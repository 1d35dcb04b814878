import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { pixelVaeDefinition } from './pixel-vae/index.js';
import { vqVaePriorDefinition } from './two-stage/index.js';
import { vqVaeDefinition } from './vq-vae/index.js';
import { vqVae2Definition } from './vq-vae-2/index.js';
import { vqVae2PriorDefinition } from './vq-vae-2-prior/index.js';

/** The VQ-VAE family as a plugin (`vq-vae`, the two-stage `vq-vae-prior`, the hierarchical `vq-vae-2` and its two-stage `vq-vae-2-prior`, the PixelCNN-decoder VAE `pixel-vae`): register with `registerPlugin(vqVaePlugin)`. */
export const vqVaePlugin: GenzooPlugin = {
  name: '@genzoo/vq-vae',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [
    vqVaeDefinition,
    vqVaePriorDefinition,
    vqVae2Definition,
    vqVae2PriorDefinition,
    pixelVaeDefinition,
  ],
};
