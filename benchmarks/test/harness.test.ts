import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { selectEntries } from '../harness/process.mjs';
// @ts-expect-error plain ESM module without types
import { recipeEntries } from '../harness/recipes.mjs';
// @ts-expect-error plain ESM module without types
import { markdownTable, mergeRows, writeResults } from '../harness/results.mjs';

describe('results', () => {
  it('writes a JSON file and a Markdown table with the given columns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const rows = [
      { id: 'a/x', model: 'a', value: 1.23456 },
      { id: 'b/y', error: 'boom' },
    ];
    const [jsonPath, mdPath] = writeResults(dir, 'demo', { quick: true, columns: ['model', 'value'], rows });
    const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(json.suite).toBe('demo');
    expect(json.quick).toBe(true);
    expect(json.rows).toHaveLength(2);
    const md = readFileSync(mdPath, 'utf8');
    expect(md).toContain('| id | model | value |');
    expect(md).toContain('| a/x | a | 1.235 |');
    expect(md).toContain('- b/y: boom');
  });

  it('escapes pipes in cells', () => {
    expect(markdownTable(['c'], [{ c: 'a|b' }])).toContain('a\\|b');
  });
});

describe('recipe suites', () => {
  const registry = {
    listModels: () => [{ name: 'm' }],
    get: () => ({
      definition: {
        name: 'm',
        reproduce: [
          { name: 'r1', suite: 's', metric: 'nll_nats' },
          { name: 'r2', suite: 't', metric: 'bits_per_dim' },
          { name: 'paper', suite: 's', metric: 'nll_nats', onlyWhenAsked: true },
        ],
      },
    }),
  };

  it('groups recipes by suite, runs paper recipes only when asked, and passes --quick', () => {
    const suites = recipeEntries(registry, true);
    expect([...suites.keys()].sort()).toEqual(['s', 't']);
    const entries = suites.get('s');
    expect(entries.map((e: { id: string }) => e.id)).toEqual(['m/r1', 'm/paper']);
    const [entry, paper] = entries;
    expect(entry.command).toContain('--quick');
    expect(entry.command.slice(1, 5)).toEqual(['train', 'm', '--recipe', 'r1']);
    expect(paper.whenAsked).toBe(true);
    const ids = (only?: string, all = false) =>
      selectEntries(entries, only, { all }).map((e: { id: string }) => e.id);
    expect(ids()).toEqual(['m/r1']);
    expect(ids(undefined, true)).toEqual(['m/r1', 'm/paper']);
    expect(ids('m/')).toEqual(['m/r1']);
    expect(ids('m/paper')).toEqual(['m/paper']);
  });

  it('runs a second stage after the recipe it starts from, on that run folder', () => {
    const staged = {
      listModels: () => [{ name: 'prior' }, { name: 'm' }],
      get: (name: string) => ({
        definition:
          name === 'm'
            ? { name: 'm', reproduce: [{ name: 'r1', suite: 's', metric: 'nll_nats' }] }
            : {
                name: 'prior',
                reproduce: [
                  {
                    name: 'r1',
                    suite: 's',
                    metric: 'nll_nats',
                    startsFrom: { recipe: 'm/r1', configKey: 'source' },
                  },
                ],
              },
      }),
    };
    const entries = recipeEntries(staged, true).get('s');
    expect(entries.map((e: { id: string }) => e.id)).toEqual(['m/r1', 'prior/r1']);
    const [first, second] = entries;
    expect(first.command).not.toContain('--set');
    expect(second.command.slice(-2)).toEqual([
      '--set',
      `source=${join('benchmarks', '.work', 's', 'm', 'r1')}`,
    ]);
    expect(second.command).toContain(join('benchmarks', '.work', 's', 'prior', 'r1'));
  });

  it('skips a recipe whose dataset is not on this machine, saying how to get it', () => {
    const status = (dataset: string) =>
      dataset === 'd' ? { found: false, howToGet: 'apt-get install d' } : { found: true };
    const missing = {
      ...registry,
      get: () => ({
        definition: { name: 'm', reproduce: [{ name: 'r', suite: 's', dataset: 'd', metric: 'nll_nats' }] },
      }),
    };
    const [entry] = recipeEntries(missing, false, status).get('s');
    expect(entry.command).toBeUndefined();
    expect(entry.skip).toContain('d is not on this machine (apt-get install d;');
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const [, mdPath] = writeResults(dir, 's', {
      quick: false,
      columns: [],
      rows: [{ id: 'm/r', skipped: entry.skip }],
    });
    expect(readFileSync(mdPath, 'utf8')).toContain('## Skipped entries');
  });

  it('turns a CLI summary into a row with the recipe metric as value', () => {
    const [entry] = recipeEntries(registry, false).get('t');
    expect(entry.command).not.toContain('--quick');
    const [row] = entry.toRows({
      dataset: 'd',
      test: { nll_nats: 100, bits_per_dim: 0.2 },
      examples_per_second: 5,
      peak_memory_mb: 10,
      seconds: 1,
      steps: 3,
      backend: 'cpu',
    });
    expect(row).toMatchObject({ model: 'm', recipe: 'r2', value: 0.2, nll_nats: 100, backend: 'cpu' });
  });
});

describe('partial runs (--only)', () => {
  it('replace the rows of the entries that ran, keep the others in suite order, and date every row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const order = ['a', 'b', 'c'];
    writeResults(dir, 'demo', {
      quick: false,
      columns: ['value'],
      rows: [
        { id: 'a', value: 1 },
        { id: 'b', value: 2 },
      ],
    });
    const [jsonPath, mdPath] = writeResults(dir, 'demo', {
      quick: false,
      columns: ['value'],
      rows: [
        { id: 'c', value: 30 },
        { id: 'a', value: 10 },
      ],
      merge: true,
      order,
    });
    const rows = JSON.parse(readFileSync(jsonPath, 'utf8')).rows;
    expect(rows.map((r: { id: string; value: number }) => [r.id, r.value])).toEqual([
      ['a', 10],
      ['b', 2],
      ['c', 30],
    ]);
    for (const row of rows) expect(row.date).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readFileSync(mdPath, 'utf8')).toContain('| b | 2 |');
  });

  it('keeps quick results apart from full ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const [quickJson] = writeResults(dir, 'demo', { quick: true, columns: [], rows: [] });
    const [fullJson] = writeResults(dir, 'demo', { quick: false, columns: [], rows: [] });
    expect(quickJson).toBe(join(dir, 'demo.quick.json'));
    expect(fullJson).toBe(join(dir, 'demo.json'));
    expect(mergeRows([{ id: 'x', value: 1 }], [], ['x'])).toEqual([{ id: 'x', value: 1 }]);
  });
});

describe('--only', () => {
  const entries = ['vae/x', 'vae/x-conv', 'iwae/x', 'pytorch/vae/x'].map((id) => ({ id }));
  const ids = (only: string) => selectEntries(entries, only).map((e: { id: string }) => e.id);

  it('an entry id picks that entry alone; other items match as substrings', () => {
    expect(ids('vae/x')).toEqual(['vae/x']);
    expect(ids('vae/x,pytorch/vae/x')).toEqual(['vae/x', 'pytorch/vae/x']);
    expect(ids('conv')).toEqual(['vae/x-conv']);
    expect(ids('iwae,nothing')).toEqual(['iwae/x']);
  });
});

describe('a run cut short', () => {
  it('keeps the rows of the entries that finished before it was stopped', () => {
    // A benchmarks root of its own inside this package (so run.mjs resolves its imports), with one suite:
    // an entry that finishes, then one during which the run is killed (the entry kills it).
    const benchmarks = join(dirname(fileURLToPath(import.meta.url)), '..');
    mkdirSync(join(benchmarks, '.work'), { recursive: true });
    const root = mkdtempSync(join(benchmarks, '.work', 'cut-short-'));
    try {
      copyFileSync(join(benchmarks, 'run.mjs'), join(root, 'run.mjs'));
      symlinkSync(join(benchmarks, 'harness'), join(root, 'harness'));
      mkdirSync(join(root, 'suites'));
      writeFileSync(
        join(root, 'suites', 'cut.mjs'),
        `export const columns = ['value'];
export const entries = () => [{ id: 'done', script: 'done.mjs' }, { id: 'killer', script: 'killer.mjs' }];`,
      );
      writeFileSync(join(root, 'done.mjs'), 'console.log(JSON.stringify({ rows: [{ value: 7 }] }));');
      writeFileSync(join(root, 'killer.mjs'), "process.kill(process.ppid, 'SIGKILL');");
      const run = spawnSync(process.execPath, [join(root, 'run.mjs'), '--suite', 'cut'], {
        timeout: 50_000,
        encoding: 'utf8',
      });
      expect(run.signal).toBe('SIGKILL');
      const written = JSON.parse(readFileSync(join(root, 'results', 'cut.json'), 'utf8'));
      expect(written.rows).toEqual([expect.objectContaining({ id: 'done', value: 7 })]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
