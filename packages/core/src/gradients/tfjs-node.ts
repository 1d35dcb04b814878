/**
 * Every gradient and chained op of tfjs-core, for Node (built into dist/tfjs-gradients.node.cjs).
 *
 * tfjs-core registers no gradients and no chained ops (`t.mean()`) by itself: its ESM files
 * `register_all_gradients` and `register_all_chained_ops` do. Node cannot import those files (their
 * imports have no extensions), and the CommonJS build Node loads does not include them, so this entry
 * bundles them, as @tensorflow/tfjs-layers' Node build does. The bundled copy shares tfjs's engine, kernel
 * and gradient registries and Tensor class with the installed tfjs-core: tfjs keeps all of them on one
 * global object so that several copies in one process work together.
 */
// The installed tfjs-core first: whichever copy loads first creates the engine (and the Tensor class its
// tensors have), and only the installed one has its ops attached to that class.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
