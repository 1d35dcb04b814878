/**
 * __PACKAGE_NAME__ — a genzoo plugin. Register it with `registerPlugin(plugin)` from `@genzoo/core`, or
 * let the CLI load it: `GENZOO_PLUGINS=./dist/index.js genzoo list`.
 */
import type { GenzooPlugin } from '@genzoo/core';
import { version } from '../package.json';
import { __modelIdent__Definition } from './__MODEL_NAME__/index.js';

export { type __ModelClass__Config, __modelIdent__ConfigSchema } from './__MODEL_NAME__/config.js';
export { __modelIdent__Definition } from './__MODEL_NAME__/index.js';
export { __ModelClass__Model } from './__MODEL_NAME__/model.js';
export { __modelIdent__Recipes } from './__MODEL_NAME__/recipes.js';

/** The plugin: data the registry reads (package name, version, model definitions). */
export const plugin: GenzooPlugin = {
  name: '__PACKAGE_NAME__',
  // Inlined from package.json by the bundler, so it cannot drift from the published version.
  version,
  models: [__modelIdent__Definition],
};

export default plugin;
