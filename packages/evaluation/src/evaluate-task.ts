/**
 * The task a gradient worker runs for a sharded held-out evaluation (evaluateModel with `workers`): one
 * batch, evaluated exactly as evaluateModel evaluates it on the main thread. Its own entry, so that a
 * worker can import it by URL.
 */
import { fromHostBatch, type GenerativeModel } from '@genzoo/core';
import { type BatchEvaluation, disposeBatch, type EvaluateTaskInput, evaluateBatch } from './evaluate.js';

export async function evaluateBatchTask(
  model: GenerativeModel,
  input: EvaluateTaskInput,
): Promise<BatchEvaluation> {
  const batch = fromHostBatch(input.batch);
  try {
    return await evaluateBatch(model, batch, input.settings);
  } finally {
    disposeBatch(batch);
  }
}
