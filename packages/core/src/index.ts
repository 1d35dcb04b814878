/**
 * @genzoo/core — contracts, plugin registry, backends, distributions, trainer, checkpoints, images and
 * evaluation primitives shared by every genzoo model family.
 */
export * as tf from '@tensorflow/tfjs-core';
export * from './backend/index.js';
export * from './checkpoint/index.js';
export * from './contracts/data.js';
export * from './contracts/inputs.js';
export * from './contracts/model.js';
export * from './contracts/sampler.js';
export * from './contracts/training.js';
export * from './distributions/index.js';
export * from './errors.js';
export * from './evaluation/index.js';
export * from './image/index.js';
export * from './latent/index.js';
export * from './linalg/index.js';
export * from './nn/batch-norm.js';
export * from './nn/instance-norm.js';
export * from './nn/layers.js';
export * from './nn/params.js';
export * from './random/seeds.js';
export * from './registry/evaluation-settings.js';
export * from './registry/plugin.js';
export * from './registry/process-wide.js';
export * from './registry/registry.js';
export * from './training/index.js';
