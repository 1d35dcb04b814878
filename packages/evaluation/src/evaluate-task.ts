/**
 * The task a gradient worker runs for a sharded held-out evaluation (evaluateModel with `workers`): one
 * batch, evaluated exactly as evaluateModel evaluates it on the main thread. Its own entry, so that a
 * worker can import it by URL.
 */
import { type GenerativeModel, tf } from '@genzoo/core';
import { type BatchEvaluation, disposeBatch, type EvaluateTaskInput, evaluateBatch } from './evaluate.js';

export async function evaluateBatchTask(
  model: GenerativeModel,
  input: EvaluateTaskInput,
): Promise<BatchEvaluation> {
  const { batch: host, settings } = input;
  const batch = {
    x: tf.tensor(host.x, host.xShape, 'float32'),
    ...(host.labels ? { labels: tf.tensor1d(host.labels, 'int32') } : {}),
    ...(host.condition
      ? { condition: tf.tensor2d(host.condition, host.conditionShape as [number, number]) }
      : {}),
  };
  try {
    return await evaluateBatch(model, batch, settings);
  } finally {
    disposeBatch(batch);
  }
}
