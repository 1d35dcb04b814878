export type { Command } from './command.js';
export { commands, main, usage } from './main.js';
export { imageShapeOf, writeCurves, writeSamplePicture } from './pictures.js';
export { KNOWN_PLUGIN_PACKAGES, loadPlugins } from './plugins.js';
export { replaySamples } from './replayed-samples.js';
export { type SamplesScore, scoreSamples } from './scoring.js';
