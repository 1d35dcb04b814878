import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { betaVaeDefinition } from './beta-vae/index.js';
import { cvaeDefinition } from './cvae/index.js';
import { hvaeDefinition } from './hvae/index.js';
import { iwaeDefinition } from './iwae/index.js';
import { nvaeDefinition } from './nvae/index.js';
import { vaeDefinition } from './vae/index.js';

/** The VAE family as a plugin: register with `registerPlugin(vaePlugin)`. */
export const vaePlugin: GenzooPlugin = {
  name: '@genzoo/vae',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [vaeDefinition, betaVaeDefinition, cvaeDefinition, iwaeDefinition, hvaeDefinition, nvaeDefinition],
};
