// Suite `vq-vae-seeds`: how much the two-stage VQ-VAE's numbers move from one seed to the next, for
// genzoo and for its PyTorch reference — the spread the `vq-vae` suite's comparisons are judged against
// (issue: "classifier-FD not worse than PyTorch beyond the seed spread you measure"; the two-stage bound
// within 0.02 bits/dim on the seeds' means, since one seed's reconstruction error alone moves it by more).
//
// For each seed s of SEEDS, three entries, in this order:
// - `seed-<s>/vq-vae/mnist-10k`: genzoo's `vq-vae` recipe, trained with `--seed s`;
// - `seed-<s>/vq-vae-prior/mnist-10k`: genzoo's `vq-vae-prior` recipe on that run;
// - `seed-<s>/pytorch/vq-vae-prior/mnist-10k`: the `vq-vae` suite's PyTorch reference of both stages
//   (benchmarks/reference/pytorch_vqvae.py) at seed s, which also reports `seed-<s>/pytorch/vq-vae/…`.
// `summarize` writes each implementation's mean ± sample standard deviation over the seeds measured,
// and genzoo's mean minus PyTorch's. A seed's runs change its own seeds only: `--only seed-1` reruns one.
import { vqVaePlugin } from '@genzoo/vq-vae';
import { recipeColumns, recipeEntry } from '../harness/recipes.mjs';
import { formatValue } from '../harness/results.mjs';
import { referenceEntry, columns as vqVaeColumns } from './vq-vae.mjs';

export const SUITE = 'vq-vae-seeds';
export const SEEDS = [0, 1, 2];
export const columns = [...new Set([...recipeColumns, 'seed', ...vqVaeColumns])];

/** The first stage and the prior whose spread is measured. */
const FIRST_STAGE = 'vq-vae/mnist-10k';
const SECOND_STAGE = 'vq-vae-prior/mnist-10k';

/** The metrics summarized per model: the ones the `vq-vae` suite's comparisons use. */
const SUMMARIZED = {
  'vq-vae': ['recon_mse', 'perplexity', 'codes_used', 'bits_per_dim'],
  'vq-vae-prior': ['bits_per_dim', 'decoder_nll_nats', 'prior_nll_nats', 'classifier_fd', 'classifier_kid'],
};

function recipeOf(id) {
  const [model, name] = id.split('/');
  const definition = vqVaePlugin.models.find((d) => d.name === model);
  const recipe = definition?.reproduce.find((r) => r.name === name);
  if (!recipe) throw new Error(`${SUITE}: @genzoo/vq-vae has no recipe ${id}`);
  return { definition, recipe };
}

export function entries({ quick }) {
  const first = recipeOf(FIRST_STAGE);
  const second = recipeOf(SECOND_STAGE);
  return SEEDS.flatMap((seed) => {
    const out = (id) => `benchmarks/.work/${SUITE}/seed-${seed}/${id}`;
    const reference = referenceEntry(second.definition, second.recipe, first.definition, first.recipe, {
      quick,
    });
    const pytorch = reference.skip
      ? reference
      : {
          ...reference,
          args: {
            ...reference.args,
            seed,
            out: out(`pytorch/${SECOND_STAGE}`),
            reportFirstStage: true,
          },
          // Both stages' rows under this seed's ids.
          toRows: ({ rows }) => rows.map((row) => ({ ...row, id: `seed-${seed}/${row.id}`, seed })),
        };
    return [
      recipeEntry(first.definition, first.recipe, {
        quick,
        columns,
        id: `seed-${seed}/${FIRST_STAGE}`,
        out: out(FIRST_STAGE),
        seed,
      }),
      recipeEntry(second.definition, second.recipe, {
        quick,
        columns,
        id: `seed-${seed}/${SECOND_STAGE}`,
        out: out(SECOND_STAGE),
        startsFromOut: out(FIRST_STAGE),
        seed,
      }),
      { ...pytorch, id: `seed-${seed}/pytorch/${SECOND_STAGE}` },
    ];
  });
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
