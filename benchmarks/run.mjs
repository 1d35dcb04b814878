#!/usr/bin/env node
// The cross-model benchmark harness.
//
//   pnpm bench [--suite name]... [--quick] [--only id|substring[,…]] [--list]
//
// A suite is either a script suite (benchmarks/suites/<name>.mjs exporting `columns` and
// `entries({ quick })`, and optionally `summarize(rows)`, a second table such as means over seeds) or a recipe suite: every `reproduce` recipe of every installed plugin whose
// `suite` is that name, trained and evaluated through `genzoo train --recipe`. Every entry runs in its
// own process; results go to benchmarks/results/<suite>.json and <suite>.md (<suite>.quick.* with
// --quick). --only picks entries: an item that is an entry id picks that entry alone, any other item
// every entry whose id contains it; paper reproductions (recipes run only when asked) run when --only
// names their id, or with GENZOO_BENCH_ALL=1. The entries that ran replace their rows; the others stay.
// Each entry's rows are merged into the results file when it finishes; a run without --only then replaces
// the file with its rows alone.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlugins } from '@genzoo/cli';
import { defaultRegistry } from '@genzoo/core';
import { listDatasets } from '@genzoo/datasets/node';
import { runEntry, selectEntries } from './harness/process.mjs';
import { recipeColumns, recipeEntries } from './harness/recipes.mjs';
import { writeResults } from './harness/results.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function parse(argv) {
  const options = { suites: [], quick: false, only: undefined, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') options.quick = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--suite') options.suites.push(...String(argv[++i] ?? '').split(','));
    else if (arg === '--only') options.only = argv[++i];
    else
      throw new Error(
        `unknown argument ${arg}; usage: pnpm bench [--suite name]... [--quick] [--only id|substring[,…]] [--list]`,
      );
  }
  return options;
}

async function suites(quick) {
  await loadPlugins();
  const all = new Map();
  for (const file of readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.mjs'))) {
    const module = await import(join(here, 'suites', file));
    all.set(file.replace(/\.mjs$/, ''), {
      columns: module.columns,
      entries: module.entries({ quick }),
      summarize: module.summarize,
    });
  }
  // A script suite may share its name with a recipe suite (e.g. reference implementations next to the
  // recipes they reproduce): the entries are concatenated and the columns merged.
  const sources = new Map(listDatasets().map((d) => [d.name, d.source]));
  const dataStatus = (dataset) => sources.get(dataset) ?? { found: false, howToGet: 'unknown dataset' };
  const suiteColumns = (suite) => all.get(suite)?.columns ?? [];
  for (const [name, entries] of recipeEntries(defaultRegistry, quick, dataStatus, suiteColumns)) {
    const scripted = all.get(name);
    const columns = [...new Set([...recipeColumns, ...(scripted?.columns ?? [])])];
    all.set(name, {
      columns,
      entries: [...entries, ...(scripted?.entries ?? [])],
      summarize: scripted?.summarize,
    });
  }
  return all;
}

const options = parse(process.argv.slice(2));
const known = await suites(options.quick);
if (options.list) {
  for (const [name, suite] of known) {
    const ids = suite.entries.map((e) => `${e.id}${e.whenAsked ? ' (when asked)' : ''}`);
    console.log(`${name}: ${ids.join(', ')}`);
  }
  process.exit(0);
}
const chosen = options.suites.length > 0 ? options.suites : [...known.keys()];
for (const name of chosen) {
  if (!known.has(name)) throw new Error(`unknown suite "${name}"; known: ${[...known.keys()].join(', ')}`);
}
let failures = 0;
for (const name of chosen) {
  const suite = known.get(name);
  const entries = selectEntries(suite.entries, options.only, { all: Boolean(process.env.GENZOO_BENCH_ALL) });
  const rows = [];
  const save = (merge) =>
    writeResults(join(here, 'results'), name, {
      quick: options.quick,
      columns: suite.columns,
      rows,
      merge,
      order: suite.entries.map((e) => e.id),
      summarize: suite.summarize,
    });
  console.error(
    `suite ${name}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${options.quick ? ' (quick)' : ''}`,
  );
  for (const [i, entry] of entries.entries()) {
    console.error(`[${i + 1}/${entries.length}] ${entry.id}`);
    if (entry.skip) {
      console.error(`  skipped: ${entry.skip}`);
      rows.push({ id: entry.id, skipped: entry.skip });
      continue;
    }
    const outcome = await runEntry(here, entry);
    if (outcome.error) {
      failures++;
      console.error(`  failed: ${outcome.error}`);
      rows.push({ id: entry.id, error: outcome.error });
    } else {
      rows.push(...outcome.rows.map((row) => ({ id: entry.id, ...row })));
    }
    // Merged in as soon as an entry finishes, so a run cut short keeps what it measured.
    save(true);
  }
  const written = save(options.only !== undefined);
  console.error(`wrote ${written.join(', ')}`);
}
process.exitCode = failures > 0 ? 1 : 0;
