/**
 * Plugin discovery: the model-family packages the CLI knows, plus any listed in GENZOO_PLUGINS
 * (comma-separated module names or paths exporting a GenzooPlugin as default or `plugin`). A family
 * package that is not installed is simply absent from `genzoo list`.
 *
 * GENZOO_PLUGINS names things from where the user stands, not from where the CLI is installed: a path
 * (`./my-plugin/dist/index.js`, `/abs/path.js`) is taken relative to the working directory, and a package
 * name is resolved from the working directory's project (its node_modules, then those above it), and only
 * then from the CLI's own dependencies (a plugin installed globally beside the CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * Node entries of those packages, imported when installed for what they register besides the plugin (the
 * `vq-codes` dataset and the reader of VQ-VAE folders the two-stage `vq-vae-prior` trains from).
 */
export const KNOWN_NODE_ENTRIES = ['@genzoo/vq-vae/node'];

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

/** The module a condition-keyed `exports` entry gives to `import` (`import`, then `default`). */
function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const target = importTarget(conditions[key]);
    if (target) return target;
  }
  return undefined;
}

/** The entry file of package `name` as installed in `from` or a folder above it, or undefined. */
function packageEntry(name: string, from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', name);
    const manifestPath = join(root, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
      const exportsField = manifest.exports as Record<string, unknown> | string | undefined;
      const main =
        (typeof exportsField === 'object' && exportsField !== null && '.' in exportsField
          ? importTarget(exportsField['.'])
          : importTarget(exportsField)) ??
        (manifest.module as string | undefined) ??
        (manifest.main as string | undefined) ??
        'index.js';
      return join(root, main);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** What `import()` is given for a GENZOO_PLUGINS entry (see the module doc). */
export function pluginSpecifier(entry: string, cwd: string = process.cwd()): string {
  if (entry.startsWith('.') || isAbsolute(entry)) return pathToFileURL(resolve(cwd, entry)).href;
  const installed = packageEntry(entry, cwd);
  return installed ? pathToFileURL(installed).href : entry;
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
      const target = extra.includes(specifier) ? pluginSpecifier(specifier) : specifier;
      module = (await import(target)) as Record<string, unknown>;
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
  for (const entry of KNOWN_NODE_ENTRIES) {
    const packageName = entry.split('/').slice(0, 2).join('/');
    if (!loaded.includes(packageName)) continue;
    try {
      await import(entry);
    } catch (error) {
      // An installed version of the package without this entry is still a working plugin.
      if ((error as NodeJS.ErrnoException)?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') continue;
      throw new Error(`could not load ${entry}: ${(error as Error).message}`);
    }
  }
  return loaded;
}
