/**
 * The metrics log: one JSON object per line, `{"kind":"train","step":100,"epoch":0.21,"seconds":3.2,
 * "lr":{"vae":0.001},"metrics":{"loss":…}}`, evaluation lines with `"kind":"eval"`. A fresh run truncates
 * the file; a resumed run appends to it, so the log of an interrupted-and-resumed run reads as one run.
 * Non-finite numbers (which JSON cannot hold) are written as strings ("NaN", "Infinity").
 *
 * Crash safety: each line is appended by one write of the whole line, so a process killed mid-run leaves
 * whole lines and at most a torn last one. A resumed run first cuts the log back to the checkpoint it
 * resumes from: the lines after the checkpoint's step were logged by steps the resumed run repeats (they
 * would appear twice), and a torn line is dropped with a warning naming the file. The cut log is written
 * to a temporary file and renamed over the old one, so a crash during the cut loses nothing.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HistoryEntry, TrainBeginInfo, TrainerCallback } from '../training/callbacks.js';
import { writeFileAtomic } from './checkpoint-directory.js';

export interface JsonlMetricsLoggerOptions {
  /** Append even on a fresh run (default: append only when resuming). */
  append?: boolean;
  /** Told about lines of the log that cannot be read (default: console.warn). */
  onWarning?: (message: string) => void;
}

const warnOnStderr = (message: string) => console.warn(`warning: ${message}`);

export class JsonlMetricsLogger implements TrainerCallback {
  constructor(
    readonly path: string,
    private readonly options: JsonlMetricsLoggerOptions = {},
  ) {}

  onTrainBegin(info: TrainBeginInfo): void {
    mkdirSync(dirname(this.path), { recursive: true });
    if (info.resumed) {
      this.cutAfter(info.startStep);
    } else if (!this.options.append) {
      writeFileSync(this.path, '');
    }
  }

  onLog(entry: HistoryEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry, finiteOrString)}\n`);
  }

  /** Keeps the lines of steps up to `step` (the checkpoint's) and drops unreadable ones. */
  private cutAfter(step: number): void {
    if (!existsSync(this.path)) return;
    const text = readFileSync(this.path, 'utf8');
    const kept = parseLines(this.path, text, this.options.onWarning ?? warnOnStderr)
      .filter(({ entry }) => entry.step <= step)
      .map(({ line }) => `${line}\n`)
      .join('');
    if (kept !== text) writeFileAtomic(this.path, kept);
  }
}

/** The readable lines of a metrics log, with their text; a torn or foreign line is reported and skipped. */
function parseLines(
  path: string,
  text: string,
  onWarning: (message: string) => void,
): Array<{ line: string; entry: HistoryEntry }> {
  const out: Array<{ line: string; entry: HistoryEntry }> = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let entry: HistoryEntry | undefined;
    try {
      const parsed = JSON.parse(line) as HistoryEntry;
      if (typeof parsed?.step === 'number' && (parsed.kind === 'train' || parsed.kind === 'eval'))
        entry = parsed;
    } catch {
      // Reported below.
    }
    if (entry) {
      out.push({ line, entry });
    } else {
      const torn = i === lines.length - 1 && !text.endsWith('\n');
      onWarning(
        `${path}: line ${i + 1} is ${torn ? 'torn (the process writing it was killed)' : 'not a metrics log entry'}; skipped it`,
      );
    }
  });
  return out;
}

/** The entries of a metrics log, skipping (and reporting) lines that cannot be read. */
export function readMetricsLog(
  path: string,
  onWarning: (message: string) => void = warnOnStderr,
): HistoryEntry[] {
  return parseLines(path, readFileSync(path, 'utf8'), onWarning).map(({ entry }) => entry);
}

function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
