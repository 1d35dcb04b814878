/**
 * Numeric CSV: one example per line, cells separated by a delimiter (',' by default; no quoted
 * delimiters, surrounding double quotes are stripped), an optional header line, and an optional label
 * column (non-negative integers, or names: then the classes are the sorted distinct names). Every cell is
 * checked: an empty, non-numeric or non-finite cell, or a line with another number of cells, is a
 * DataError naming the line and the column.
 */
import { ConfigError, DataError } from '@genzoo/core';

export interface CsvOptions {
  delimiter?: string;
  /** Whether the first line names the columns; by default, when a cell of it is not a number. */
  header?: boolean;
  /** The label column: its name in the header, or its 0-based index. */
  labelColumn?: string | number;
}

/** How the lines of one file are read: found once from the first line, then applied to every line. */
export interface CsvLayout {
  delimiter: string;
  /** Column names from the header, when there is one. */
  columns?: string[];
  /** Cells per line. */
  cells: number;
  /** Index of the label column, if any. */
  labelIndex?: number;
  /** Values per example (cells without the label). */
  width: number;
  /** Whether line 1 is the header. */
  header: boolean;
}

export interface CsvTable {
  layout: CsvLayout;
  rows: number;
  /** rows × width values. */
  values: Float32Array;
  labels?: Int32Array;
  numClasses?: number;
  classNames?: string[];
}

export function splitCsvLine(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((cell) => {
    const trimmed = cell.trim();
    return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')
      ? trimmed.slice(1, -1)
      : trimmed;
  });
}

function isNumber(cell: string): boolean {
  return cell !== '' && Number.isFinite(Number(cell));
}

/** The layout from the first line (`first`, 1-based line number `lineNumber`). */
export function csvLayout(first: string, options: CsvOptions, file: string): CsvLayout {
  const delimiter = options.delimiter ?? ',';
  const cells = splitCsvLine(first, delimiter);
  const { labelColumn } = options;
  let header = options.header;
  if (header === undefined) {
    header = typeof labelColumn === 'string' || cells.some((cell, i) => i !== labelColumn && !isNumber(cell));
  }
  let labelIndex: number | undefined;
  if (typeof labelColumn === 'string') {
    if (!header)
      throw new ConfigError(
        `${file}: labelColumn "${labelColumn}" names a column, but there is no header line`,
      );
    labelIndex = cells.indexOf(labelColumn);
    if (labelIndex < 0) {
      throw new ConfigError(
        `${file}: no column "${labelColumn}" in the header (columns: ${cells.join(', ')})`,
      );
    }
  } else if (labelColumn !== undefined) {
    if (!(Number.isInteger(labelColumn) && labelColumn >= 0 && labelColumn < cells.length)) {
      throw new ConfigError(
        `${file}: labelColumn ${labelColumn} is outside the ${cells.length} columns (0-based)`,
      );
    }
    labelIndex = labelColumn;
  }
  const width = cells.length - (labelIndex === undefined ? 0 : 1);
  if (width < 1) throw new DataError(`${file}: no value columns besides the label`);
  return {
    delimiter,
    ...(header ? { columns: cells } : {}),
    cells: cells.length,
    ...(labelIndex !== undefined ? { labelIndex } : {}),
    width,
    header,
  };
}

function columnName(layout: CsvLayout, index: number): string {
  const name = layout.columns?.[index];
  return name ? `column ${index + 1} ("${name}")` : `column ${index + 1}`;
}

/**
 * Parses one data line into `out` at `at` (layout.width values); returns the label cell, if any.
 * `lineNumber` is 1-based, for errors.
 */
export function parseCsvRow(
  line: string,
  lineNumber: number,
  layout: CsvLayout,
  file: string,
  out: Float32Array,
  at: number,
): string | undefined {
  const cells = splitCsvLine(line, layout.delimiter);
  if (cells.length !== layout.cells) {
    throw new DataError(
      `${file}: line ${lineNumber} has ${cells.length} cells, expected ${layout.cells} (ragged rows)`,
    );
  }
  let label: string | undefined;
  let k = at;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (i === layout.labelIndex) {
      if (cell === '')
        throw new DataError(`${file}: line ${lineNumber}, ${columnName(layout, i)}: empty label`);
      label = cell;
      continue;
    }
    if (cell === '') throw new DataError(`${file}: line ${lineNumber}, ${columnName(layout, i)}: empty cell`);
    const value = Number(cell);
    if (Number.isNaN(value)) {
      throw new DataError(
        `${file}: line ${lineNumber}, ${columnName(layout, i)}: ${/^[-+]?nan$/i.test(cell) ? 'NaN' : `"${cell}" is not a number`}`,
      );
    }
    if (!Number.isFinite(value)) {
      throw new DataError(`${file}: line ${lineNumber}, ${columnName(layout, i)}: ${cell} is not finite`);
    }
    out[k++] = value;
  }
  return label;
}

/** The label cells → labels: non-negative integers as they are, or names mapped to their sorted order. */
export function csvLabels(
  cells: readonly string[],
  file: string,
): { labels: Int32Array; numClasses: number; classNames?: string[] } {
  if (cells.every((c) => /^\d+$/.test(c))) {
    const labels = Int32Array.from(cells, Number);
    let max = 0;
    for (const label of labels) if (label > max) max = label;
    if (max > 1_000_000) throw new DataError(`${file}: label ${max} is too large for a class index`);
    return { labels, numClasses: max + 1 };
  }
  const classNames = [...new Set(cells)].sort();
  const index = new Map(classNames.map((name, i) => [name, i]));
  return {
    labels: Int32Array.from(cells, (c) => index.get(c) ?? 0),
    numClasses: classNames.length,
    classNames,
  };
}

/** Splits text into lines, keeping 1-based line numbers and skipping blank lines. */
export function csvLines(text: string): { line: string; number: number }[] {
  const lines: { line: string; number: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== '') lines.push({ line, number: i + 1 });
  });
  return lines;
}

/** A whole CSV text: layout, checked values, labels. `file` names it in errors. */
export function parseCsvText(text: string, options: CsvOptions = {}, file = 'csv data'): CsvTable {
  const lines = csvLines(text);
  if (lines.length === 0) throw new DataError(`${file}: empty (no lines)`);
  const layout = csvLayout(lines[0].line, options, file);
  const data = layout.header ? lines.slice(1) : lines;
  if (data.length === 0) throw new DataError(`${file}: a header but no data lines`);
  const values = new Float32Array(data.length * layout.width);
  const labelCells: string[] = [];
  data.forEach(({ line, number }, r) => {
    const label = parseCsvRow(line, number, layout, file, values, r * layout.width);
    if (label !== undefined) labelCells.push(label);
  });
  return {
    layout,
    rows: data.length,
    values,
    ...(layout.labelIndex !== undefined ? csvLabels(labelCells, file) : {}),
  };
}
