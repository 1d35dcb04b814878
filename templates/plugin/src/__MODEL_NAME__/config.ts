import { z } from 'zod';

/**
 * Configuration of the __MODEL_NAME__ model. Strict (unknown keys are errors) and every key has a
 * default, so `{}` is a valid config and `genzoo train __MODEL_NAME__ --set initialScale=2` is checked.
 */
export const __modelIdent__ConfigSchema = z.strictObject({
  /** Standard deviation σ of every dimension before training. */
  initialScale: z.number().positive().default(1),
  /**
   * Floor on log σ. A dimension whose training values are all equal would otherwise shrink σ towards 0
   * and log p(x) towards +∞.
   */
  minLogScale: z.number().default(-7),
});

export type __ModelClass__Config = z.infer<typeof __modelIdent__ConfigSchema>;
