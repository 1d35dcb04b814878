/**
 * @genzoo/core — contracts, plugin registry, nn layers, distributions, the Trainer and the checkpoint
 * format shared by every genzoo model family. Platform-neutral: it imports no Node module and runs in
 * browsers as in Node (Node specifics are in @genzoo/core/node). Importing it registers every gradient
 * (see gradients/register.ts).
 */
import './gradients/register.js';

export * as tf from '@tensorflow/tfjs-core';
export * from './checkpoint/index.js';
export * from './contracts/data.js';
export { imageShapeOf } from './contracts/image-shape.js';
export * from './contracts/inputs.js';
export * from './contracts/model.js';
export * from './contracts/sampler.js';
export * from './contracts/training.js';
export * from './distributions/index.js';
export * from './errors.js';
export { registerSecondOrderGradients } from './gradients/second-order.js';
export * from './likelihood/index.js';
export * from './linalg/index.js';
export * from './nn/batch-norm.js';
export * from './nn/instance-norm.js';
export * from './nn/layers.js';
export * from './nn/params.js';
export * from './parallel/index.js';
export * from './random/seeds.js';
export * from './recipes/index.js';
export * from './registry/evaluation-settings.js';
export * from './registry/plugin.js';
export * from './registry/process-wide.js';
export * from './registry/registry.js';
export * from './training/index.js';
