// Writes a suite's results as JSON (for scripts) and a Markdown table (for people).
import { mkdirSync, writeFileSync } from 'node:fs';
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

export function writeResults(dir, suite, { quick, columns, rows }) {
  mkdirSync(dir, { recursive: true });
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const date = new Date().toISOString();
  const jsonPath = join(dir, `${suite}.json`);
  writeFileSync(jsonPath, `${JSON.stringify({ suite, quick, date, machine, rows }, null, 2)}\n`);
  const errors = rows.filter((r) => r.error);
  const md = [
    `# Benchmark suite \`${suite}\`${quick ? ' (quick)' : ''}`,
    '',
    `Run ${date} on ${machine.cores}× ${machine.cpu}, ${machine.memory_gb} GiB, Node ${machine.node}.`,
    `Reproduce: \`pnpm bench --suite ${suite}${quick ? ' --quick' : ''}\`.`,
    '',
    markdownTable(
      ['id', ...columns],
      rows.filter((r) => !r.error),
    ),
    ...(errors.length > 0
      ? ['', '## Failed entries', '', ...errors.map((r) => `- ${r.id}: ${r.error}`)]
      : []),
    '',
  ].join('\n');
  const mdPath = join(dir, `${suite}.md`);
  writeFileSync(mdPath, md);
  return [jsonPath, mdPath];
}
