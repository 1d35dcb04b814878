/** An 8-bit RGBA raster, row-major from the top-left corner: pixel (x, y) starts at 4·(y·width + x). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** An sRGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];
