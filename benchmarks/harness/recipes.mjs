// Recipe suites: each plugin's `reproduce` recipes, run through `genzoo train --recipe <name> --json`.
import { join } from 'node:path';

export const recipeColumns = [
  'model',
  'recipe',
  'dataset',
  'metric',
  'value',
  'nll_nats',
  'bits_per_dim',
  'elbo',
  'examples_per_second',
  'peak_memory_mb',
  'seconds',
  'steps',
  'backend',
];

/**
 * Row fields a suite can ask for by listing them in its `columns`, derived from the run summary. Only the
 * suites that list one get it, so other suites' rows stay as they are.
 */
export const derivedColumns = {
  steps_per_second: (summary) => (summary.seconds > 0 ? summary.steps / summary.seconds : undefined),
};

/**
 * The run's test metrics a suite lists among its `columns` (sample-quality scores such as
 * `classifier_fd`), copied into its recipe rows as they are.
 */
function listedTestMetrics(columns, test) {
  return Object.fromEntries(columns.filter((c) => Object.hasOwn(test, c)).map((c) => [c, test[c]]));
}

/**
 * @param dataStatus `(dataset) => { found, howToGet? }`: a recipe whose data is not on this machine
 *   becomes a skipped entry naming how to get it (unless GENZOO_BENCH_DOWNLOAD is set: then the CLI
 *   downloads and verifies the files).
 * @param suiteColumns `(suite) => columns` of the script suite of that name: the `derivedColumns` among
 *   them, and the test metrics among them, are added to its recipe rows.
 * @returns {Map<string, object[]>} suite name → entries
 */
export function recipeEntries(
  registry,
  quick,
  dataStatus = () => ({ found: true }),
  suiteColumns = () => [],
) {
  const suites = new Map();
  for (const info of registry.listModels()) {
    const { definition } = registry.get(info.name);
    for (const recipe of definition.reproduce) {
      const id = `${definition.name}/${recipe.name}`;
      // Paper reproductions run only when `--only` names them (or GENZOO_BENCH_ALL is set).
      const whenAsked = Boolean(recipe.onlyWhenAsked);
      const status = dataStatus(recipe.dataset);
      if (!status.found && !process.env.GENZOO_BENCH_DOWNLOAD) {
        if (!suites.has(recipe.suite)) suites.set(recipe.suite, []);
        suites.get(recipe.suite).push({
          id,
          whenAsked,
          skip: `${recipe.dataset} is not on this machine (${status.howToGet ?? 'see `genzoo datasets`'}; GENZOO_BENCH_DOWNLOAD=1 downloads it)`,
        });
        continue;
      }
      const out = recipeOut(recipe.suite, id);
      // A second stage trains on the run of the recipe it starts from, which runs first (see below).
      const stage = recipe.startsFrom
        ? ['--set', `${recipe.startsFrom.configKey}=${recipeOut(recipe.suite, recipe.startsFrom.recipe)}`]
        : [];
      const command = [
        join('packages', 'cli', 'dist', 'bin.js'),
        'train',
        definition.name,
        '--recipe',
        recipe.name,
        '--out',
        out,
        // Each benchmark run replaces the entry's previous run in benchmarks/.work.
        '--overwrite',
        '--json',
        ...(quick ? ['--quick'] : []),
        ...stage,
      ];
      const epochs = (quick ? recipe.quick?.train?.epochs : undefined) ?? recipe.train?.epochs;
      const listed = suiteColumns(recipe.suite);
      const derived = listed.filter((column) => Object.hasOwn(derivedColumns, column));
      const toRows = (summary) => [
        {
          model: definition.name,
          recipe: recipe.name,
          dataset: summary.dataset,
          metric: recipe.metric,
          value: summary.test[recipe.metric],
          nll_nats: summary.test.nll_nats,
          bits_per_dim: summary.test.bits_per_dim,
          elbo: summary.test.elbo,
          examples_per_second: summary.examples_per_second,
          // Summaries of CLIs that do not time sampling yet have no `sampling`.
          sampling_images_per_second: summary.sampling?.images_per_second,
          epochs,
          peak_memory_mb: summary.peak_memory_mb,
          seconds: summary.seconds,
          steps: summary.steps,
          backend: summary.backend,
          ...Object.fromEntries(derived.map((column) => [column, derivedColumns[column](summary)])),
          ...listedTestMetrics(listed, summary.test),
        },
      ];
      if (!suites.has(recipe.suite)) suites.set(recipe.suite, []);
      suites.get(recipe.suite).push({ id, whenAsked, command, toRows, stage: Boolean(recipe.startsFrom) });
    }
  }
  // Second stages after every first stage (a stable sort keeps the registry's order otherwise).
  for (const entries of suites.values())
    entries.sort((a, b) => Number(Boolean(a.stage)) - Number(Boolean(b.stage)));
  return suites;
}

/** The run folder of recipe entry `<model>/<recipe>` of `suite`. */
export function recipeOut(suite, id) {
  const [model, name] = id.split('/');
  return join('benchmarks', '.work', suite, model, name);
}
