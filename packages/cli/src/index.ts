export type { ParsedArgs } from './args.js';
export type { Command } from './command.js';
export { commands, main, usage } from './main.js';
export { KNOWN_PLUGIN_PACKAGES, loadPlugins } from './plugins.js';
