/** The preprocessing layers a config names, first in every flow (see common/config/schemas.ts). */
import type { Bijector } from './bijector.js';
import { FixedAffine } from './fixed-affine.js';
import { Logit } from './logit.js';

export type Preprocessing = 'none' | 'logit' | 'center';

export function preprocessingLayers(
  kind: Preprocessing,
  eventShape: readonly number[],
  alpha: number,
): Bijector[] {
  switch (kind) {
    case 'none':
      return [];
    case 'logit':
      return [new Logit(eventShape, alpha)];
    case 'center':
      return [new FixedAffine(eventShape, 1, -0.5)];
  }
}
