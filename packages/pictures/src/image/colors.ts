/**
 * Colours: a categorical palette for series and point sets, and the viridis colormap (van der Walt &
 * Smith, matplotlib 2.0), perceptually uniform and readable in grayscale, for heatmaps.
 */
import type { Rgb } from './types.js';

/** Tableau 10, matplotlib's default cycle. */
export const PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

export function paletteColor(i: number): Rgb {
  return PALETTE[i % PALETTE.length];
}

/** viridis at t = 0, 1/8, …, 1 (matplotlib's table sampled at nine points); linear in between. */
const VIRIDIS_ANCHORS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

export type Colormap = 'viridis' | 'gray';

/** The colormap's colour at t ∈ [0, 1] (clamped). */
export function colormap(name: Colormap, t: number): Rgb {
  const u = Math.min(1, Math.max(0, t));
  if (name === 'gray') {
    const v = Math.round(255 * u);
    return [v, v, v];
  }
  const position = u * (VIRIDIS_ANCHORS.length - 1);
  const i = Math.min(VIRIDIS_ANCHORS.length - 2, Math.floor(position));
  const f = position - i;
  const [a, b] = [VIRIDIS_ANCHORS[i], VIRIDIS_ANCHORS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))) as unknown as Rgb;
}
