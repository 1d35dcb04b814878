/**
 * @genzoo/pictures/node — PNG files: encode and write rasters, decode PNGs (with a pixel budget checked
 * before decoding). Everything of @genzoo/pictures is exported here too.
 */
export * from './index.js';
export { decodePng, encodePng, writePng } from './png.js';
