import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { glowDefinition } from './glow/index.js';
import { iafDefinition } from './iaf/index.js';
import { mafDefinition } from './maf/index.js';
import { niceDefinition } from './nice/index.js';
import { realnvpDefinition } from './realnvp/index.js';

/** The flow family as a plugin: register with `registerPlugin(flowsPlugin)`. */
export const flowsPlugin: GenzooPlugin = {
  name: '@genzoo/flows',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [niceDefinition, realnvpDefinition, glowDefinition, mafDefinition, iafDefinition],
};
