/**
 * Pictures: image grids, scatter plots, heatmaps and training curves as RGBA rasters (PNG files from
 * @genzoo/pictures/node), and training curves as SVG.
 */
export {
  type Bar,
  type BarChartLayout,
  type BarChartOptions,
  type BarRect,
  barChartLayout,
  barChartPng,
} from './bar-chart.js';
export { Canvas } from './canvas.js';
export { type Colormap, colormap, PALETTE, paletteColor } from './colors.js';
export {
  type ImageGridOptions,
  imageGrid,
  READABLE_TILE_PIXELS,
  readableScale,
  tensorToImage,
} from './grid.js';
export { densityHeatmap, type HeatmapOptions, heatmapGrid } from './heatmap.js';
export { labelledRows } from './labelled-rows.js';
export type { LinePlotOptions, LineSeries } from './line-plot.js';
export { linePlotPng } from './line-plot-png.js';
export { escapeXml, linePlotSvg } from './line-plot-svg.js';
export type { PlotFrame } from './plot-frame.js';
export { type Points, type ScatterPlotOptions, scatterPlot } from './scatter.js';
export { sideBySide } from './side-by-side.js';
export { type SmallMultiplesOptions, smallMultiplesPng, smallMultiplesSvg } from './small-multiples.js';
export { formatTick, niceTicks, type Range, type Ticks } from './ticks.js';
export type { Rgb, RgbaImage } from './types.js';
