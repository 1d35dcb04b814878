/**
 * A one-line progress bar on stderr: `step 120/1000 [====>      ] 12% loss 1.2345 · 2,345 ex/s · ETA 0:42`.
 * It stays quiet unless stdout is a terminal (so piped or `--json` output is never interleaved with it)
 * and redraws at most every `minIntervalMs`.
 */
import type { StepProgress, TrainBeginInfo, TrainerCallback } from '../training/callbacks.js';
import { formatProgressLine } from '../training/progress-line.js';

export interface ProgressStream {
  write(text: string): unknown;
}

export interface ProgressBarOptions {
  quiet?: boolean;
  /** Where to draw; stderr by default. */
  stream?: ProgressStream;
  /** Draw even when stdout is not a terminal (tests, log files that understand `\r`). */
  force?: boolean;
  /** Minimum milliseconds between redraws. */
  minIntervalMs?: number;
  /** Bar width in characters. */
  width?: number;
}

export class ProgressBar implements TrainerCallback {
  private readonly enabled: boolean;
  private readonly stream: ProgressStream;
  private readonly minIntervalMs: number;
  private readonly width: number;
  private startStep = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(options: ProgressBarOptions = {}) {
    this.enabled = !options.quiet && (options.force ?? process.stdout.isTTY === true);
    this.stream = options.stream ?? process.stderr;
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.width = options.width ?? 24;
  }

  onTrainBegin(info: TrainBeginInfo): void {
    this.startStep = info.startStep;
  }

  onStepEnd(step: number, metrics: Record<string, number>, progress: StepProgress): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (step < progress.totalSteps && now - this.lastDraw < this.minIntervalMs) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(`\r${formatProgressLine(step, this.startStep, metrics, progress, this.width)}\x1b[K`);
  }

  onTrainEnd(): void {
    this.finishLine();
  }

  onTrainError(): void {
    this.finishLine();
  }

  private finishLine(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
