export { main, commands, usage } from './main.js';
export type { Command } from './command.js';
export { KNOWN_PLUGIN_PACKAGES, loadPlugins } from './plugins.js';
export { imageShapeOf, writeCurves, writeSamplePicture } from './pictures.js';
