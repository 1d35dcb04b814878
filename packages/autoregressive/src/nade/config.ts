import { z } from 'zod';

/** NADE configuration: H sigmoid hidden units shared by the D conditionals (500 in the paper). */
export const nadeConfigSchema = z.strictObject({
  hidden: z.number().int().positive().max(16384).default(500),
});

export type NadeConfig = z.infer<typeof nadeConfigSchema>;
