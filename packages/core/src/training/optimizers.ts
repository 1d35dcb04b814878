/**
 * Optimizers built from config with `tf.train.*`, and a way to change their learning rate between steps.
 *
 * - Adam (Kingma & Ba, 2015): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², θ ← θ − lr·m̂/(√v̂ + ε).
 * - Adamax (same paper, §7.1): u ← max(β2·u, |g|), θ ← θ − lr/(1−β1ᵗ)·m/(u + ε).
 * - RMSProp (Tieleman & Hinton, 2012): ms ← ρ·ms + (1−ρ)·g², mom ← μ·mom + lr·g/√(ms + ε), θ ← θ − mom.
 * - SGD, with heavy-ball momentum when momentum > 0: a ← μ·a + g, θ ← θ − lr·a.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './config.js';

export function createOptimizer(config: OptimizerConfig): tf.Optimizer {
  switch (config.name) {
    case 'adam':
      return tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
    case 'adamax':
      return tf.train.adamax(config.learningRate, config.beta1, config.beta2, config.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate, config.decay, config.momentum, config.epsilon);
    case 'sgd':
      return config.momentum > 0
        ? tf.train.momentum(config.learningRate, config.momentum)
        : tf.train.sgd(config.learningRate);
  }
}

/**
 * Sets the learning rate the next `applyGradients` uses. Adam, Adamax and RMSProp read the
 * `learningRate` field on every apply; SGD and Momentum instead multiply by a cached scalar tensor
 * `c = −lr`, which only `setLearningRate` refreshes (it disposes the old scalar, so no tensor leaks).
 */
export function setOptimizerLearningRate(
  optimizer: tf.Optimizer,
  name: OptimizerConfig['name'],
  learningRate: number,
): void {
  const fields = optimizer as unknown as { learningRate: number };
  if (fields.learningRate === learningRate) return;
  if (name === 'sgd') (optimizer as tf.SGDOptimizer).setLearningRate(learningRate);
  else fields.learningRate = learningRate;
}
