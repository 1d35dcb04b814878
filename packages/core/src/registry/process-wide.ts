/**
 * State that must exist once per process however genzoo was loaded. A package installed once can still
 * be loaded twice — its ESM build by `import`, its CJS build by `require` (the dual-package hazard) —
 * and each copy has its own module-level variables: a plugin registered through one would be missing
 * from the other's registry. Such state lives on `globalThis` under a registered symbol instead, so both
 * builds find the same value. The key names a layout version, so an incompatible future layout gets a
 * value of its own rather than a stranger's.
 */
export function processWide<T>(key: string, create: () => T): T {
  const symbol = Symbol.for(`@genzoo/core:${key}`);
  const holder = globalThis as unknown as Record<symbol, unknown>;
  if (!(symbol in holder)) holder[symbol] = create();
  return holder[symbol] as T;
}
