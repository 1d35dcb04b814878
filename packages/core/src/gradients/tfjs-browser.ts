/**
 * Every gradient and chained op of tfjs-core, for bundlers (dist/tfjs-gradients.browser.js): the app's
 * bundler resolves tfjs-core's own ESM files, so the app keeps exactly one copy of tfjs-core.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
