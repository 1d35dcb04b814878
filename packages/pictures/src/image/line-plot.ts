/** What the SVG and PNG line plots share: the series type, options, and ranges over all series. */
import { dataRange, padRange, type Range } from './ticks.js';

export interface LineSeries {
  /** Legend label, e.g. `loss` or `eval/nll_nats`. */
  name: string;
  /** (x, y) pairs, e.g. (step, value); non-finite values break the line. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LinePlotOptions {
  /** Pixels (default 640 × 400). */
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

export const LINE_PLOT_DEFAULTS = { width: 640, height: 400 };

/** x over the data's extent; y over it with 5% headroom so lines do not run along the frame. */
export function lineRanges(series: readonly LineSeries[]): { x: Range; y: Range } {
  const finite = series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  return {
    x: dataRange(finite.map(([x]) => x)),
    y: padRange(dataRange(finite.map(([, y]) => y)), 0.05),
  };
}

/** The series' points split at non-finite values into runs of consecutive finite points. */
export function finiteRuns(
  points: ReadonlyArray<readonly [number, number]>,
): Array<Array<readonly [number, number]>> {
  const runs: Array<Array<readonly [number, number]>> = [];
  let run: Array<readonly [number, number]> = [];
  for (const point of points) {
    if (Number.isFinite(point[0]) && Number.isFinite(point[1])) {
      run.push(point);
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
