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
  'train_examples_per_second',
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
      if (!suites.has(recipe.suite)) suites.set(recipe.suite, []);
      suites.get(recipe.suite).push({
        ...recipeEntry(definition, recipe, { quick, columns: suiteColumns(recipe.suite) }),
        whenAsked,
      });
    }
  }
  // Second stages after every first stage (a stable sort keeps the registry's order otherwise).
  for (const entries of suites.values())
    entries.sort((a, b) => Number(Boolean(a.stage)) - Number(Boolean(b.stage)));
  return suites;
}

/**
 * The entry that trains `recipe` of model `definition` through `genzoo train --recipe … --json` and turns
 * the run summary into its results row. Defaults: the id `<model>/<recipe>`, the run folder
 * `recipeOut(suite, id)`, a second stage on the run folder of the recipe it starts from in the same suite,
 * the recipe's seed; `id`, `out`, `startsFromOut` and `seed` replace them (e.g. one run per seed).
 * @param columns the suite's columns: the `derivedColumns` and test metrics among them join the row.
 */
export function recipeEntry(definition, recipe, { quick, columns = [], id, out, startsFromOut, seed }) {
  const name = `${definition.name}/${recipe.name}`;
  // A second stage trains on the run of the recipe it starts from, which runs first (see recipeEntries).
  const stage = recipe.startsFrom
    ? [
        '--set',
        `${recipe.startsFrom.configKey}=${startsFromOut ?? recipeOut(recipe.suite, recipe.startsFrom.recipe)}`,
      ]
    : [];
  const command = [
    join('packages', 'cli', 'dist', 'bin.js'),
    'train',
    definition.name,
    '--recipe',
    recipe.name,
    '--out',
    out ?? recipeOut(recipe.suite, name),
    // Each benchmark run replaces the entry's previous run in benchmarks/.work.
    '--overwrite',
    '--json',
    // One thread: a recipe's row is then the same run on any machine (the shards' random draws depend on
    // the number of workers), and the PyTorch twins follow its undivided batches. The speed suite
    // measures the workers.
    '--workers',
    '1',
    ...(quick ? ['--quick'] : []),
    ...(seed === undefined ? [] : ['--seed', String(seed)]),
    ...stage,
  ];
  const epochs = (quick ? recipe.quick?.train?.epochs : undefined) ?? recipe.train?.epochs;
  const derived = columns.filter((column) => Object.hasOwn(derivedColumns, column));
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
      // The training steps alone (run summaries before it had no such field).
      train_examples_per_second: summary.train_examples_per_second,
      // Summaries of CLIs that do not time sampling yet have no `sampling`.
      sampling_images_per_second: summary.sampling?.images_per_second,
      epochs,
      peak_memory_mb: summary.peak_memory_mb,
      seconds: summary.seconds,
      steps: summary.steps,
      backend: summary.backend,
      ...(seed === undefined ? {} : { seed }),
      ...Object.fromEntries(derived.map((column) => [column, derivedColumns[column](summary)])),
      ...listedTestMetrics(columns, summary.test),
    },
  ];
  return { id: id ?? name, command, toRows, stage: Boolean(recipe.startsFrom) };
}

/** The run folder of recipe entry `<model>/<recipe>` of `suite`. */
export function recipeOut(suite, id) {
  const [model, name] = id.split('/');
  return join('benchmarks', '.work', suite, model, name);
}
