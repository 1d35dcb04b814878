/** Output conventions: human text on stdout, progress on stderr, and with --json one JSON object as the last stdout line. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A plain aligned table for human output. */
export function formatTable<Row extends object>(rows: Row[], columns: Array<keyof Row & string>): string {
  const cells = rows.map((row) => columns.map((c) => formatCell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 1000 || Math.abs(value) < 0.01 ? value.toPrecision(4) : value.toFixed(3);
  }
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}
