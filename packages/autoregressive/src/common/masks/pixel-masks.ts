/**
 * The spatial masks of PixelCNN's convolutions (van den Oord, Kalchbrenner & Kavukcuoglu 2016, "Pixel
 * Recurrent Neural Networks", §3.4), for raster order: a k × k kernel keeps the taps in the rows above
 * the centre and the taps left of the centre in its row; type A (the first layer, which sees the image)
 * also drops the centre, so output (r, c) never sees pixel (r, c); type B (every later layer, whose
 * centre holds features of earlier pixels only) keeps it.
 *
 *   type A, 5×5      type B, 5×5
 *   1 1 1 1 1        1 1 1 1 1
 *   1 1 1 1 1        1 1 1 1 1
 *   1 1 0 0 0        1 1 1 0 0
 *   0 0 0 0 0        0 0 0 0 0
 *   0 0 0 0 0        0 0 0 0 0
 *
 * Every channel of a pixel is masked alike: the heads that need the channels of a pixel in order (the
 * logistic mixture) order them themselves, within the pixel.
 */
export type MaskType = 'A' | 'B';

/** The row-major k × k mask of the given type. */
export function pixelMask(kernelSize: number, type: MaskType): Float32Array {
  if (kernelSize % 2 !== 1)
    throw new RangeError(`masked convolutions need an odd kernel size, got ${kernelSize}`);
  const centre = (kernelSize - 1) / 2;
  const mask = new Float32Array(kernelSize * kernelSize);
  for (let i = 0; i < kernelSize; i++) {
    for (let j = 0; j < kernelSize; j++) {
      const before = i < centre || (i === centre && j < centre);
      const self = i === centre && j === centre;
      mask[i * kernelSize + j] = before || (self && type === 'B') ? 1 : 0;
    }
  }
  return mask;
}
