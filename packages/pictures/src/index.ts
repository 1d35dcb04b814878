/**
 * @genzoo/pictures — what genzoo draws, platform-neutral: image grids, scatter plots, density maps, training
 * curves (line plots and small multiples) as RGBA rasters and SVG, and latent-space pictures (manifold
 * grid, traversals, interpolation, arithmetic) for any model with an encoder and a decoder. Rasters are
 * `RgbaImage`s: draw them on a canvas in a browser, or write PNG files with @genzoo/pictures/node.
 */
export * from './image/index.js';
export * from './latent/index.js';
