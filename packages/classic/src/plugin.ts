import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { gmmDefinition } from './gmm/index.js';
import { ppcaDefinition } from './ppca/index.js';

/** The classic models as a plugin: register with `registerPlugin(classicPlugin)`. */
export const classicPlugin: GenzooPlugin = {
  name: '@genzoo/classic',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [gmmDefinition, ppcaDefinition],
};
