/**
 * The text of the training progress line, `step 120/1000 [====>      ] 12% loss 1.2345 · 2,345 ex/s ·
 * ETA 0:42`, for any front end (the terminal's ProgressBar of `@genzoo/core/node`, a web page).
 */
import type { StepProgress } from './callbacks.js';

/** The text of the bar (without the carriage return), exported for tests and other front ends. */
export function formatProgressLine(
  step: number,
  startStep: number,
  metrics: Record<string, number>,
  progress: StepProgress,
  width = 24,
): string {
  const { totalSteps } = progress;
  const fraction = totalSteps > 0 ? Math.min(1, step / totalSteps) : 1;
  const filled = Math.round(fraction * width);
  const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (fraction < 1 ? '>' : '=') : ''}`.padEnd(
    width,
  );
  const parts = [`step ${step}/${totalSteps} [${bar}] ${Math.floor(fraction * 100)}%`];
  const losses = Object.entries(metrics).filter(([k]) => k === 'loss' || k.endsWith('/loss'));
  for (const [k, v] of losses.slice(0, 3)) parts.push(`${k} ${formatNumber(v)}`);
  parts.push(`${Math.round(progress.examplesPerSecond).toLocaleString('en-US')} ex/s`);
  const done = step - startStep;
  if (done > 0 && step < totalSteps) {
    parts.push(`ETA ${formatDuration(((totalSteps - step) * progress.seconds) / done)}`);
  } else if (step >= totalSteps) {
    parts.push(formatDuration(progress.seconds));
  }
  return parts.join(' · ');
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? x.toExponential(3) : x.toFixed(4);
}

/** h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
