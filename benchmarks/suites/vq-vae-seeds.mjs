// Suite `vq-vae-seeds`: how much the two-stage VQ-VAEs' numbers move from one seed to the next, for
// genzoo and for its PyTorch references — the spread the `vq-vae` suite's comparisons are judged against
// (issue: "classifier-FD not worse than PyTorch beyond the seed spread you measure"; the two-stage bound
// within 0.02 bits/dim on the seeds' means, since one seed's reconstruction error alone moves it by more).
//
// For each pair of PAIRS (a first stage and the prior that starts from it) and each seed s of SEEDS,
// three entries, in this order:
// - `seed-<s>/<first stage>`: genzoo's first-stage recipe, trained with `--seed s`;
// - `seed-<s>/<second stage>`: genzoo's prior recipe on that run;
// - `seed-<s>/pytorch/<second stage>`: the `vq-vae` suite's PyTorch reference of both stages at seed s,
//   which also reports `seed-<s>/pytorch/<first stage>`.
// `summarize` writes each implementation's mean ± sample standard deviation over the seeds measured,
// and genzoo's mean minus PyTorch's. A seed's runs change its own rows only: `--only seed-1` reruns one.
// The VQ-VAE-2 pair takes about 75 minutes a seed on 2 cores, so it runs when asked:
// `GENZOO_BENCH_ALL=1 pnpm bench --suite vq-vae-seeds --quick --only vq-vae-2`.
import { vqVaePlugin } from '@genzoo/vq-vae';
import { recipeColumns, recipeEntry } from '../harness/recipes.mjs';
import { formatValue } from '../harness/results.mjs';
import { referenceEntry, columns as vqVaeColumns } from './vq-vae.mjs';

export const SUITE = 'vq-vae-seeds';
export const SEEDS = [0, 1, 2];
export const columns = [...new Set([...recipeColumns, 'seed', ...vqVaeColumns])];

/** The first stages and the priors whose spread is measured. */
const PAIRS = [
  { first: 'vq-vae/mnist-10k', second: 'vq-vae-prior/mnist-10k' },
  { first: 'vq-vae-2/mnist-10k', second: 'vq-vae-2-prior/mnist-10k', whenAsked: true },
];

/** The metrics summarized per model: the ones the `vq-vae` suite's comparisons use. */
const SUMMARIZED = {
  'vq-vae': ['recon_mse', 'perplexity', 'codes_used', 'bits_per_dim'],
  'vq-vae-prior': ['bits_per_dim', 'decoder_nll_nats', 'prior_nll_nats', 'classifier_fd', 'classifier_kid'],
  'vq-vae-2': ['recon_mse', 'recon_mse_top_only', 'perplexity_top', 'perplexity_bottom', 'bits_per_dim'],
  'vq-vae-2-prior': ['bits_per_dim', 'decoder_nll_nats', 'top_prior_nll_nats', 'bottom_prior_nll_nats'],
};

function recipeOf(id) {
  const [model, name] = id.split('/');
  const definition = vqVaePlugin.models.find((d) => d.name === model);
  const recipe = definition?.reproduce.find((r) => r.name === name);
  if (!recipe) throw new Error(`${SUITE}: @genzoo/vq-vae has no recipe ${id}`);
  return { definition, recipe };
}

/** Seed `seed`'s three entries of pair `pair`: genzoo's two stages, then the PyTorch reference of both. */
function seedEntries(pair, seed, quick) {
  const first = recipeOf(pair.first);
  const second = recipeOf(pair.second);
  const whenAsked = Boolean(pair.whenAsked);
  const out = (id) => `benchmarks/.work/${SUITE}/seed-${seed}/${id}`;
  const reference = referenceEntry(second.definition, second.recipe, first.definition, first.recipe, {
    quick,
  });
  const pytorch = reference.skip
    ? reference
    : {
        ...reference,
        args: { ...reference.args, seed, out: out(`pytorch/${pair.second}`), reportFirstStage: true },
        // Both stages' rows under this seed's ids.
        toRows: ({ rows }) => rows.map((row) => ({ ...row, id: `seed-${seed}/${row.id}`, seed })),
      };
  return [
    recipeEntry(first.definition, first.recipe, {
      quick,
      columns,
      id: `seed-${seed}/${pair.first}`,
      out: out(pair.first),
      seed,
    }),
    recipeEntry(second.definition, second.recipe, {
      quick,
      columns,
      id: `seed-${seed}/${pair.second}`,
      out: out(pair.second),
      startsFromOut: out(pair.first),
      seed,
    }),
    { ...pytorch, id: `seed-${seed}/pytorch/${pair.second}` },
  ].map((entry) => ({ ...entry, whenAsked }));
}

export function entries({ quick }) {
  return PAIRS.flatMap((pair) => SEEDS.flatMap((seed) => seedEntries(pair, seed, quick)));
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** The sample standard deviation (n − 1); undefined for fewer than two values. */
function sd(values) {
  if (values.length < 2) return undefined;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

/** Per model and implementation, each metric's mean and sd over the seeds measured; then their difference. */
export function summarize(rows) {
  const out = [];
  for (const [model, metrics] of Object.entries(SUMMARIZED)) {
    const byImplementation = {};
    for (const implementation of ['genzoo', 'pytorch']) {
      const prefix = implementation === 'pytorch' ? 'pytorch/' : '';
      const measured = rows.filter(
        (r) => r.model === model && new RegExp(`^seed-\\d+/${prefix}${model}/`).test(r.id),
      );
      if (measured.length === 0) continue;
      const row = { model, implementation, seeds: measured.map((r) => r.seed).join(', ') };
      for (const metric of metrics) {
        const values = measured.map((r) => r[metric]).filter((v) => typeof v === 'number');
        if (values.length === 0) continue;
        row[`${metric}_mean`] = mean(values);
        row[`${metric}_sd`] = sd(values);
        row[metric] = `${formatValue(mean(values))} ± ${formatValue(sd(values)) || '–'}`;
      }
      byImplementation[implementation] = row;
      out.push(row);
    }
    const { genzoo, pytorch } = byImplementation;
    if (genzoo && pytorch) {
      const difference = { model, implementation: 'genzoo − pytorch (means)' };
      for (const metric of metrics) {
        const a = genzoo[`${metric}_mean`];
        const b = pytorch[`${metric}_mean`];
        if (a === undefined || b === undefined) continue;
        difference[`${metric}_difference`] = a - b;
        difference[metric] = formatValue(a - b);
      }
      out.push(difference);
    }
  }
  const metricColumns = [...new Set(Object.values(SUMMARIZED).flat())];
  return {
    title: 'Across seeds (mean ± sample sd)',
    columns: ['model', 'implementation', 'seeds', ...metricColumns],
    rows: out,
  };
}
