/**
 * The metrics log: one JSON object per line, `{"kind":"train","step":100,"epoch":0.21,"seconds":3.2,
 * "lr":{"vae":0.001},"metrics":{"loss":…}}`, evaluation lines with `"kind":"eval"`. A fresh run truncates
 * the file; a resumed run appends to it, so the log of an interrupted-and-resumed run reads as one run.
 * Non-finite numbers (which JSON cannot hold) are written as strings ("NaN", "Infinity").
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HistoryEntry, TrainBeginInfo, TrainerCallback } from './callbacks.js';

export interface JsonlMetricsLoggerOptions {
  /** Append even on a fresh run (default: append only when resuming). */
  append?: boolean;
}

export class JsonlMetricsLogger implements TrainerCallback {
  constructor(
    readonly path: string,
    private readonly options: JsonlMetricsLoggerOptions = {},
  ) {}

  onTrainBegin(info: TrainBeginInfo): void {
    mkdirSync(dirname(this.path), { recursive: true });
    if (!info.resumed && !this.options.append) writeFileSync(this.path, '');
  }

  onLog(entry: HistoryEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry, finiteOrString)}\n`);
  }
}

function finiteOrString(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}
