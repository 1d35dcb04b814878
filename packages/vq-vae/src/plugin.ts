import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { vqVaePriorDefinition } from './two-stage/index.js';
import { vqVaeDefinition } from './vq-vae/index.js';
import { vqVae2Definition } from './vq-vae-2/index.js';

/** The VQ-VAE family as a plugin (`vq-vae`, the two-stage `vq-vae-prior`, the hierarchical `vq-vae-2`): register with `registerPlugin(vqVaePlugin)`. */
export const vqVaePlugin: GenzooPlugin = {
  name: '@genzoo/vq-vae',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [vqVaeDefinition, vqVaePriorDefinition, vqVae2Definition],
};
