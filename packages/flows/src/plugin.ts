import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { glowDefinition } from './glow/definition.js';
import { iafDefinition, mafDefinition } from './maf/definition.js';
import { niceDefinition } from './nice/definition.js';
import { realnvpDefinition } from './realnvp/definition.js';

/** The flow family as a plugin: register with `registerPlugin(flowsPlugin)`. */
export const flowsPlugin: GenzooPlugin = {
  name: '@genzoo/flows',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [niceDefinition, realnvpDefinition, glowDefinition, mafDefinition, iafDefinition],
};
