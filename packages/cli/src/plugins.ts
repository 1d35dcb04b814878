/**
 * Plugin discovery: the model-family packages the CLI knows, plus any listed in GENZOO_PLUGINS
 * (comma-separated module names or paths exporting a GenzooPlugin as default or `plugin`). A family
 * package that is not installed is simply absent from `genzoo list`.
 */
import { defaultRegistry, type GenzooPlugin, type PluginRegistry } from '@genzoo/core';

/** Model-family packages maintained in this repository, loaded when installed. */
export const KNOWN_PLUGIN_PACKAGES = [
  '@genzoo/classic',
  '@genzoo/vae',
  '@genzoo/vq-vae',
  '@genzoo/gan',
  '@genzoo/flows',
  '@genzoo/autoregressive',
];

function pluginFrom(module: Record<string, unknown>): GenzooPlugin | undefined {
  const candidates = [module.default, module.plugin, ...Object.values(module)];
  return candidates.find(
    (c): c is GenzooPlugin =>
      typeof c === 'object' && c !== null && Array.isArray((c as GenzooPlugin).models) && 'version' in c,
  );
}

function isNotInstalled(error: unknown, specifier: string): boolean {
  const e = error as NodeJS.ErrnoException;
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') &&
    String(e.message).includes(specifier)
  );
}

export async function loadPlugins(registry: PluginRegistry = defaultRegistry): Promise<string[]> {
  const extra = (process.env.GENZOO_PLUGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const loaded: string[] = [];
  for (const specifier of [...KNOWN_PLUGIN_PACKAGES, ...extra]) {
    let module: Record<string, unknown>;
    try {
      module = (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      if (!extra.includes(specifier) && isNotInstalled(error, specifier)) continue;
      throw new Error(`could not load genzoo plugin ${specifier}: ${(error as Error).message}`);
    }
    const plugin = pluginFrom(module);
    if (!plugin)
      throw new Error(`${specifier} does not export a genzoo plugin (default export or \`plugin\`)`);
    registry.register(plugin);
    loaded.push(plugin.name);
  }
  return loaded;
}
