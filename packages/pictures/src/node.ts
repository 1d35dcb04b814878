/**
 * @genzoo/pictures/node — PNG files: encode and write rasters, decode PNGs (with a pixel budget checked
 * before decoding); and the pictures a training run writes (sample grids, 2-D scatters and densities,
 * flow layers, translations (two-domain and multi-domain), training curves from the metrics log), as the CLI and benchmarks draw them.
 * Everything of @genzoo/pictures is exported here too.
 */
export * from './index.js';
export { decodePng, encodePng, writePng } from './png.js';
export {
  isPlanarDensity,
  klGroupsChart,
  latentGroupKls,
  type SamplePictureOptions,
  temperatureLabel,
  writeCurves,
  writeDensityPicture,
  writeKlGroupsPicture,
  writeLevelsPicture,
  writeMultiDomainPicture,
  writePlayerLosses,
  writeSamplePicture,
  writeStagesPicture,
  writeTemperaturesPicture,
  writeTranslationPicture,
} from './run/run-pictures.js';
