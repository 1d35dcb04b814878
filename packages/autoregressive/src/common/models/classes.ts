import { ConfigError, type ModelContext } from '@genzoo/core';

/** The classes a class-conditional model needs from its dataset. */
export function classesOf(name: string, context: ModelContext): number {
  if (!context.numClasses) {
    throw new ConfigError(`${name}: conditional: true needs a dataset with class labels (numClasses)`);
  }
  return context.numClasses;
}
