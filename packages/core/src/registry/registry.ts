import type { GenerativeModel, ModelContext } from '../contracts/model.js';
import { ConfigError, formatZodIssues } from '../errors.js';
import type { GenzooPlugin, ModelDefinition } from './plugin.js';

export interface RegisteredModel {
  definition: ModelDefinition;
  plugin: { name: string; version: string };
}

export interface ModelInfo {
  name: string;
  family: string;
  package: string;
  version: string;
  likelihood: string;
  description: string;
}

/** Holds the registered plugins. One default instance serves most programs; tests may create their own. */
export class PluginRegistry {
  private readonly models = new Map<string, RegisteredModel>();
  private readonly plugins = new Map<string, GenzooPlugin>();

  register(plugin: GenzooPlugin): void {
    const existing = this.plugins.get(plugin.name);
    if (existing === plugin) return;
    if (existing)
      throw new Error(`plugin ${plugin.name} is already registered (version ${existing.version})`);
    for (const definition of plugin.models) {
      const clash = this.models.get(definition.name);
      if (clash) {
        throw new Error(
          `model name "${definition.name}" from ${plugin.name} is already registered by ${clash.plugin.name}`,
        );
      }
    }
    this.plugins.set(plugin.name, plugin);
    for (const definition of plugin.models) {
      this.models.set(definition.name, {
        definition,
        plugin: { name: plugin.name, version: plugin.version },
      });
    }
  }

  listPlugins(): GenzooPlugin[] {
    return [...this.plugins.values()];
  }

  listModels(): ModelInfo[] {
    return [...this.models.values()].map(({ definition, plugin }) => ({
      name: definition.name,
      family: definition.family,
      package: plugin.name,
      version: plugin.version,
      likelihood: definition.likelihood,
      description: definition.description,
    }));
  }

  get(name: string): RegisteredModel {
    const entry = this.models.get(name);
    if (!entry) {
      const known = [...this.models.keys()].sort().join(', ') || '(none registered)';
      throw new ConfigError(`unknown model "${name}"; registered models: ${known}`);
    }
    return entry;
  }

  /** Validates a plain-JSON config against the model's schema, filling defaults. */
  parseConfig(name: string, config: unknown): Record<string, unknown> {
    const { definition } = this.get(name);
    const parsed = definition.configSchema.safeParse(config ?? {});
    if (!parsed.success) {
      throw new ConfigError(`invalid config for model "${name}": ${formatZodIssues(parsed.error)}`);
    }
    return parsed.data as Record<string, unknown>;
  }

  createModel(name: string, config: unknown, context: ModelContext): GenerativeModel {
    const parsed = this.parseConfig(name, config);
    return this.get(name).definition.create(parsed, context);
  }
}

export const defaultRegistry = new PluginRegistry();

export const registerPlugin = (plugin: GenzooPlugin): void => defaultRegistry.register(plugin);
export const listModels = (): ModelInfo[] => defaultRegistry.listModels();
export const createModel = (name: string, config: unknown, context: ModelContext): GenerativeModel =>
  defaultRegistry.createModel(name, config, context);
