import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { vqVaeDefinition } from './vq-vae/index.js';

/** The VQ-VAE family as a plugin: register with `registerPlugin(vqVaePlugin)`. */
export const vqVaePlugin: GenzooPlugin = {
  name: '@genzoo/vq-vae',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [vqVaeDefinition],
};
