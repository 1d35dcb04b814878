import type { GenerativeModel, ModelContext } from '../contracts/model.js';
import { ConfigError, formatZodIssues, ResourceError } from '../errors.js';
import type { GenzooPlugin, ModelDefinition } from './plugin.js';
import { processWide } from './process-wide.js';

/**
 * Upper bounds that the plugins' config schemas put on the sizes that multiply into memory, so that a
 * slip such as `latentDim=1e9` is a config error naming the key, not an allocation failure deep inside a
 * kernel. Each is far above the zoo's published architectures (at most 1000 hidden units, 512 channels,
 * 100 latent dimensions, k = 50); what still does not fit the parameter budget is refused by
 * ParameterStore before it is allocated.
 */
export const CONFIG_SIZE_LIMITS = {
  /** Latent, noise and embedding dimensions. */
  latent: 4096,
  /** Units of a dense layer. */
  width: 16384,
  /** Channels of a convolution. */
  channels: 4096,
  /** Layers or blocks of a stack, and the entries of a list of layer sizes. */
  depth: 64,
  /** Side of a convolution kernel. */
  kernel: 15,
  /** Latent draws per example in a bound (importance samples): each multiplies the batch. */
  samples: 4096,
  /** Components of a mixture. */
  components: 4096,
} as const;

/** Size options listed by an allocation failure. */
const LARGEST_OPTIONS_SHOWN = 3;

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

  /**
   * Validates the config and builds the model. Running out of memory while building it is a
   * ResourceError that names the largest size options, the ones to lower.
   */
  createModel(name: string, config: unknown, context: ModelContext): GenerativeModel {
    const parsed = this.parseConfig(name, config);
    try {
      const model = this.get(name).definition.create(parsed, context);
      creationContexts().set(model, { ...context, eventShape: [...context.eventShape] });
      return model;
    } catch (error) {
      const cause = allocationFailure(error);
      if (cause === undefined) throw error;
      const options = largestOptions(parsed)
        .map(([key, value]) => `${key}=${value}`)
        .join(', ');
      throw new ResourceError(
        `model "${name}" does not fit in memory: ${cause}` +
          (options ? `; its largest size options are ${options}` : ''),
        { cause: error },
      );
    }
  }
}

/** The contexts models were created with, kept per process (see process-wide.ts). */
const creationContexts = () =>
  processWide('model-contexts-v1', () => new WeakMap<GenerativeModel, ModelContext>());

/**
 * The context (`seed`, `numClasses`, `eventShape`) a registry created `model` with, or undefined for a
 * model made otherwise. Checkpoints record it, since a model's seed can decide more than its initial
 * weights (MADE's masks, for one).
 */
export function creationContext(model: GenerativeModel): ModelContext | undefined {
  return creationContexts().get(model);
}

/** What went wrong when `error` is an allocation failure (ours, or the engine's), else undefined. */
function allocationFailure(error: unknown): string | undefined {
  if (error instanceof ResourceError) return error.message;
  const engine = /Invalid typed array length|Array buffer allocation failed|Invalid array length/;
  if (error instanceof RangeError && engine.test(error.message)) return error.message;
  return undefined;
}

/**
 * The config's integer options above 1 (lists by their largest entry), largest first: `latentDim=1000000`.
 * Switches and single draws (0, 1) never make a model too big.
 */
function largestOptions(config: Record<string, unknown>): Array<[string, string]> {
  const found: Array<[string, number, string]> = [];
  const visit = (value: unknown, key: string) => {
    if (typeof value === 'number' && Number.isInteger(value)) found.push([key, value, String(value)]);
    else if (Array.isArray(value) && value.length > 0 && value.every(Number.isInteger)) {
      found.push([key, Math.max(...value), `[${value.join(',')}]`]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, key ? `${key}.${k}` : k);
    }
  };
  visit(config, '');
  return found
    .filter(([, value]) => value > 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, LARGEST_OPTIONS_SHOWN)
    .map(([key, , shown]) => [key, shown]);
}

/** The registry the CLI and `registerPlugin` use: one per process, shared by genzoo's ESM and CJS builds. */
export const defaultRegistry = processWide('plugin-registry.v1', () => new PluginRegistry());

export const registerPlugin = (plugin: GenzooPlugin): void => defaultRegistry.register(plugin);
export const listModels = (): ModelInfo[] => defaultRegistry.listModels();
export const createModel = (name: string, config: unknown, context: ModelContext): GenerativeModel =>
  defaultRegistry.createModel(name, config, context);
