/**
 * Importing @genzoo/core registers, on whatever backend the app uses:
 * - every gradient of tfjs-core and its chained ops (`t.mean()`), through the package import
 *   `#tfjs-gradients` (package.json `imports`: a bundled copy in Node, tfjs-core's own ESM files for
 *   bundlers; see tfjs-node.ts), so no app needs @tensorflow/tfjs-layers for gradients;
 * - then the second-order fixes genzoo's models need (second-order.ts), which replace some of them.
 */
import '@tensorflow/tfjs-core';
import '#tfjs-gradients';
import { registerSecondOrderGradients } from './second-order.js';

registerSecondOrderGradients();
