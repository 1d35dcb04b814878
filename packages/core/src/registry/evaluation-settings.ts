/**
 * How a run is evaluated at its end, as recipes, run files (`--config`) and checkpoints state it: checked
 * by one schema wherever it comes from, before any training it would end.
 */
import { z } from 'zod';

export const evaluationSettingsSchema = z.strictObject({
  /** Evaluate on at most this many test examples. */
  limit: z.number().int().positive().optional(),
  /** Importance samples K for models with a lower-bound likelihood. */
  samples: z.number().int().positive().optional(),
  /**
   * Add the sample-quality metrics of n samples (classifier-FD, KID, precision/recall, …) to the test
   * metrics, with the dataset's reference classifier trained for `classifierEpochs` (default: its config's).
   */
  score: z
    .strictObject({
      n: z.number().int().positive(),
      classifierEpochs: z.number().int().positive().optional(),
    })
    .optional(),
});

export type EvaluationSettings = z.infer<typeof evaluationSettingsSchema>;
