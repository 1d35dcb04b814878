/**
 * The `vq-vae-seeds` suite: per seed, genzoo's two stages trained with `--seed s` into that seed's folders
 * (the prior on that seed's VQ-VAE) and the PyTorch reference at the same seed, each row under the seed's
 * ids; its summary is each implementation's mean ± sample sd over the seeds, and the means' difference,
 * written beside the rows by the results writer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { writeResults } from '../harness/results.mjs';
// @ts-expect-error plain ESM module without types
import { columns, entries, SEEDS, summarize } from '../suites/vq-vae-seeds.mjs';

interface Entry {
  id: string;
  skip?: string;
  whenAsked?: boolean;
  command?: string[];
  args?: { seed: number; out: string; reportFirstStage: boolean };
  toRows: (parsed: unknown) => Array<Record<string, unknown>>;
}

const flag = (command: string[], name: string) => command[command.indexOf(name) + 1];

describe('vq-vae-seeds suite: the two stages and their PyTorch reference, once per seed', () => {
  const list: Entry[] = entries({ quick: true });

  it('runs, per seed, the VQ-VAE, then the prior on that very run, then the reference at that seed', () => {
    expect(SEEDS.length).toBeGreaterThanOrEqual(3);
    const ids = (first: string, second: string, oneThread = false) =>
      SEEDS.flatMap((s: number) => [
        `seed-${s}/${first}`,
        `seed-${s}/${second}`,
        `seed-${s}/pytorch/${second}`,
        ...(oneThread ? [`seed-${s}/pytorch-1-thread/${second}`] : []),
        `seed-${s}/pytorch-twin/${first}`,
      ]);
    expect(list.map((e) => e.id)).toEqual([
      ...ids('vq-vae/mnist-10k', 'vq-vae-prior/mnist-10k', true),
      ...ids('vq-vae/fashion-mnist', 'vq-vae-prior/fashion-mnist'),
      ...ids('vq-vae-2/mnist-10k', 'vq-vae-2-prior/mnist-10k'),
    ]);
    // The VQ-VAE-2 pair (about 75 minutes a seed) runs when asked.
    expect(list.map((e) => Boolean(e.whenAsked))).toEqual(list.map((e) => e.id.includes('vq-vae-2')));
    const [vq, prior, reference, oneThread, twin] = list.slice(5, 10);
    expect(flag(vq.command!, '--seed')).toBe('1');
    expect(vq.command).toContain('--quick');
    const vqOut = flag(vq.command!, '--out');
    expect(vqOut).toBe('benchmarks/.work/vq-vae-seeds/seed-1/vq-vae/mnist-10k');
    expect(flag(prior.command!, '--seed')).toBe('1');
    expect(flag(prior.command!, '--set')).toBe(`vqvae=${vqOut}`);
    if (reference.skip) return; // mnist-10k absent: nothing more to check of the reference
    expect(reference.args).toMatchObject({ seed: 1, reportFirstStage: true });
    expect(reference.args!.out).toBe('benchmarks/.work/vq-vae-seeds/seed-1/pytorch/vq-vae-prior/mnist-10k');
    // The rounding floor: the same reference, seed and flags but one thread, into its own folder.
    expect(oneThread.id).toBe('seed-1/pytorch-1-thread/vq-vae-prior/mnist-10k');
    expect(oneThread.args).toMatchObject({
      ...reference.args,
      out: 'benchmarks/.work/vq-vae-seeds/seed-1/pytorch-1-thread/vq-vae-prior/mnist-10k',
      flags: { ...(reference.args as unknown as { flags: object }).flags, threads: 1 },
    });
    // The twin: the first stage from that seed's genzoo run (its weights and batches; its log compared).
    expect(twin.id).toBe('seed-1/pytorch-twin/vq-vae/mnist-10k');
    expect(twin.args).toEqual({
      recipe: 'vq-vae/mnist-10k',
      quick: true,
      seed: 1,
      genzooRun: vqOut,
      out: 'benchmarks/.work/vq-vae-seeds/seed-1/pytorch-twin/vq-vae/mnist-10k',
      flags: (reference.args as unknown as { flags: object }).flags,
    });
    expect(
      oneThread.toRows({
        rows: [{ id: 'pytorch/vq-vae/mnist-10k' }, { id: 'pytorch/vq-vae-prior/mnist-10k' }],
      }),
    ).toEqual([
      { id: 'seed-1/pytorch-1-thread/vq-vae/mnist-10k', seed: 1 },
      { id: 'seed-1/pytorch-1-thread/vq-vae-prior/mnist-10k', seed: 1 },
    ]);
  });

  it("files each run's rows under its seed", () => {
    const [vq, , reference] = list.slice(10, 13);
    const summary = { dataset: 'mnist-10k', test: { recon_mse: 0.01, perplexity: 30 }, steps: 300 };
    expect(vq.toRows(summary)[0]).toMatchObject({ seed: 2, recon_mse: 0.01, perplexity: 30 });
    if (reference.skip) return;
    const rows = reference.toRows({
      rows: [
        { id: 'pytorch/vq-vae/mnist-10k', model: 'vq-vae' },
        { id: 'pytorch/vq-vae-prior/mnist-10k', model: 'vq-vae-prior' },
      ],
    });
    expect(rows.map((r) => [r.id, r.seed])).toEqual([
      ['seed-2/pytorch/vq-vae/mnist-10k', 2],
      ['seed-2/pytorch/vq-vae-prior/mnist-10k', 2],
    ]);
    for (const column of ['seed', 'model', 'value', 'bits_per_dim', 'recon_mse', 'classifier_fd'])
      expect(columns).toContain(column);
  });

  it("summarizes mean ± sample sd per model, dataset and implementation, the difference of the means, the rounding floor and the twins' gap", () => {
    const row = (id: string, model: string, seed: number, values: Record<string, number>) => ({
      id: `seed-${seed}/${id}`,
      model,
      dataset: id.split('/').at(-1),
      seed,
      ...values,
    });
    const rows = [
      row('vq-vae/mnist-10k', 'vq-vae', 0, { recon_mse: 0.009, bits_per_dim: 7.0 }),
      row('vq-vae/mnist-10k', 'vq-vae', 1, { recon_mse: 0.011, bits_per_dim: 7.1 }),
      row('vq-vae-prior/mnist-10k', 'vq-vae-prior', 0, { bits_per_dim: 6.8, classifier_fd: 60 }),
      row('vq-vae-prior/mnist-10k', 'vq-vae-prior', 1, { bits_per_dim: 6.9, classifier_fd: 70 }),
      row('pytorch/vq-vae/mnist-10k', 'vq-vae', 0, { recon_mse: 0.008, bits_per_dim: 6.9 }),
      row('pytorch/vq-vae/mnist-10k', 'vq-vae', 1, { recon_mse: 0.01, bits_per_dim: 7.0 }),
      // The rounding floor: seed 0 again on one thread; seed 2 has no every-core run to pair with.
      row('pytorch-1-thread/vq-vae/mnist-10k', 'vq-vae', 0, { recon_mse: 0.0085, bits_per_dim: 6.95 }),
      row('pytorch-1-thread/vq-vae/mnist-10k', 'vq-vae', 2, { recon_mse: 0.5, bits_per_dim: 9 }),
      // Twins of genzoo's seeds 0 and 1.
      row('pytorch-twin/vq-vae/mnist-10k', 'vq-vae', 0, { recon_mse: 0.0099 }),
      row('pytorch-twin/vq-vae/mnist-10k', 'vq-vae', 1, { recon_mse: 0.0121 }),
      // Another dataset: summarized on its own.
      row('vq-vae/fashion-mnist', 'vq-vae', 0, { recon_mse: 0.02 }),
      row('vq-vae/fashion-mnist', 'vq-vae', 1, { recon_mse: 0.03 }),
      // Not a seed run: left out.
      { id: 'vq-vae/mnist-10k', model: 'vq-vae', dataset: 'mnist-10k', recon_mse: 1 },
    ];
    const { rows: summary, columns: summaryColumns } = summarize(rows);
    const find = (model: string, implementation: string, dataset = 'mnist-10k') =>
      summary.find(
        (r: Record<string, unknown>) =>
          r.model === model && r.implementation === implementation && r.dataset === dataset,
      );
    const genzoo = find('vq-vae', 'genzoo');
    expect(genzoo.seeds).toBe('0, 1');
    expect(genzoo.recon_mse_mean).toBeCloseTo(0.01, 12);
    expect(genzoo.recon_mse_sd).toBeCloseTo(Math.SQRT2 * 0.001, 12);
    expect(genzoo.recon_mse).toMatch(/^0\.010\d* ± 0\.001414/);
    const difference = find('vq-vae', 'genzoo − pytorch (means)');
    expect(difference.recon_mse_difference).toBeCloseTo(0.001, 12);
    expect(difference.bits_per_dim_difference).toBeCloseTo(0.1, 12);
    // The prior has no PyTorch rows here: its mean, no difference row.
    expect(find('vq-vae-prior', 'genzoo').classifier_fd_mean).toBe(65);
    expect(find('vq-vae-prior', 'genzoo − pytorch (means)')).toBeUndefined();
    expect(find('vq-vae', 'pytorch, 1 thread').seeds).toBe('0, 2');
    const floor = find('vq-vae', 'rounding floor: |pytorch − pytorch, 1 thread| (mean over seeds)');
    expect(floor.seeds).toBe('0');
    expect(floor.recon_mse_gap).toBeCloseTo(0.0005, 12);
    expect(floor.recon_mse_relative_gap).toBeCloseTo(0.0625, 12);
    expect(floor.bits_per_dim_gap).toBeCloseTo(0.05, 12);
    expect(floor.recon_mse).toBe('0.0005000 (6.3%)');
    const twins = find('vq-vae', 'twins: |genzoo − pytorch twin| (mean over seeds)');
    expect(twins.seeds).toBe('0, 1');
    expect(twins.recon_mse_gap).toBeCloseTo(0.001, 12);
    expect(twins.recon_mse_relative_gap).toBeCloseTo(0.1, 12);
    expect(twins.bits_per_dim).toBeUndefined();
    // Signed: genzoo's 0.009 and 0.011 against twins at 0.0099 and 0.0121, 10% lower each.
    const signed = find('vq-vae', 'twins: genzoo − pytorch twin (mean over seeds)');
    expect(signed.recon_mse_gap).toBeCloseTo(-0.001, 12);
    expect(signed.recon_mse_relative_gap).toBeCloseTo(-0.1, 12);
    expect(signed.recon_mse).toBe('-0.001000 (-10.0%)');
    expect(find('vq-vae', 'genzoo', 'fashion-mnist').recon_mse_mean).toBeCloseTo(0.025, 12);
    expect(find('vq-vae', 'genzoo − pytorch (means)', 'fashion-mnist')).toBeUndefined();
    expect(summaryColumns).toEqual(
      expect.arrayContaining(['model', 'dataset', 'implementation', 'recon_mse']),
    );
  });

  it('writes the summary beside the rows, recomputed over merged rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'genzoo-seeds-'));
    try {
      const options = { quick: true, columns, summarize, merge: true, order: list.map((e) => e.id) };
      const seedRow = (seed: number, recon: number) => ({
        id: `seed-${seed}/vq-vae/mnist-10k`,
        model: 'vq-vae',
        dataset: 'mnist-10k',
        seed,
        recon_mse: recon,
      });
      writeResults(dir, 'vq-vae-seeds', { ...options, rows: [seedRow(0, 0.01)] });
      const [jsonPath, mdPath] = writeResults(dir, 'vq-vae-seeds', { ...options, rows: [seedRow(1, 0.02)] });
      const written = JSON.parse(readFileSync(jsonPath, 'utf8'));
      expect(written.rows).toHaveLength(2);
      expect(written.summary.rows[0]).toMatchObject({ model: 'vq-vae', seeds: '0, 1' });
      expect(written.summary.rows[0].recon_mse_mean).toBeCloseTo(0.015, 12);
      const md = readFileSync(mdPath, 'utf8');
      expect(md).toContain('## Across seeds (mean ± sample sd)');
      expect(md).toContain('| vq-vae | mnist-10k | genzoo | 0, 1 | 0.015 ± 0.007071 |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
