// Writes a suite's results as JSON (for scripts) and a Markdown table (for people): <suite>.json/.md for
// full runs, <suite>.quick.json/.md for --quick ones, so a quick run never overwrites full numbers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export function formatValue(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 1000 || Math.abs(value) < 0.01 ? value.toPrecision(4) : value.toFixed(3);
  }
  return String(value);
}

export function markdownTable(columns, rows) {
  const header = `| ${columns.join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map(
    (row) => `| ${columns.map((c) => formatValue(row[c]).replace(/\|/g, '\\|')).join(' | ')} |`,
  );
  return [header, rule, ...body].join('\n');
}

/** The results file's base name (without .json/.md). */
export function resultsName(suite, quick) {
  return quick ? `${suite}.quick` : suite;
}

/**
 * Rows of the entries that ran replace the same entries' rows in the existing results file; the other
 * rows are kept (with the date they were measured), so `--only` updates part of a suite's table.
 * `order` lists the suite's entry ids: the merged rows follow it.
 */
export function mergeRows(previous, rows, order) {
  const ran = new Set(rows.map((r) => r.id));
  const kept = previous.filter((r) => !ran.has(r.id));
  const rank = new Map(order.map((id, i) => [id, i]));
  const position = (r) => rank.get(r.id) ?? order.length;
  return [...kept, ...rows].sort((a, b) => position(a) - position(b));
}

/** The rows of a results file, each with the date it was measured (older files date the whole run). */
function previousRows(jsonPath) {
  const file = JSON.parse(readFileSync(jsonPath, 'utf8'));
  return file.rows.map((row) => ({ date: file.date, ...row }));
}

/**
 * Writes the results of the entries that ran (`rows`, each with its entry's `id`). With `merge`, rows of
 * the suite's other entries (`order`) already in the file stay. A suite's `summarize(rows)` (e.g. means
 * over seeds) sees every measured row, merged ones too, and returns `{ title, columns, rows }`: written as
 * the file's `summary` and as a second table.
 */
export function writeResults(dir, suite, { quick, columns, rows, merge = false, order = [], summarize }) {
  mkdirSync(dir, { recursive: true });
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const date = new Date().toISOString();
  const base = join(dir, resultsName(suite, quick));
  const jsonPath = `${base}.json`;
  const dated = rows.map((row) => ({ ...row, date }));
  const previous = merge && existsSync(jsonPath) ? previousRows(jsonPath) : [];
  const all = merge ? mergeRows(previous, dated, order) : dated;
  const measured = all.filter((r) => !r.error && !r.skipped);
  const summary = summarize?.(measured);
  writeFileSync(
    jsonPath,
    `${JSON.stringify({ suite, quick, date, machine, rows: all, ...(summary ? { summary } : {}) }, null, 2)}\n`,
  );
  const errors = all.filter((r) => r.error);
  const skipped = all.filter((r) => r.skipped);
  const dates = [...new Set(all.map((r) => r.date.slice(0, 10)))].sort();
  const when = dates.length > 1 ? `entries run ${dates[0]} to ${dates[dates.length - 1]}` : `run ${date}`;
  const md = [
    `# Benchmark suite \`${suite}\`${quick ? ' (quick)' : ''}`,
    '',
    `${when[0].toUpperCase()}${when.slice(1)} on ${machine.cores}× ${machine.cpu}, ${machine.memory_gb} GiB, Node ${machine.node}.`,
    `Reproduce: \`pnpm bench --suite ${suite}${quick ? ' --quick' : ''}\`.`,
    '',
    markdownTable(['id', ...columns], measured),
    ...(summary ? ['', `## ${summary.title}`, '', markdownTable(summary.columns, summary.rows)] : []),
    ...(errors.length > 0
      ? ['', '## Failed entries', '', ...errors.map((r) => `- ${r.id}: ${r.error}`)]
      : []),
    ...(skipped.length > 0
      ? ['', '## Skipped entries', '', ...skipped.map((r) => `- ${r.id}: ${r.skipped}`)]
      : []),
    '',
  ].join('\n');
  const mdPath = `${base}.md`;
  writeFileSync(mdPath, md);
  return [jsonPath, mdPath];
}
