/**
 * Decoded images (RGBA, as pngjs, jpeg-js and a canvas give them) → the 8-bit rows of a dataset: the
 * channels (greyscale by ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B, as PIL's 'L'; grey to RGB by
 * copying; alpha is ignored), then the size. Resizing: `area` (default) averages the source pixels each
 * output pixel covers (an anti-aliased shrink, blocky when enlarging), `bilinear` interpolates between the
 * four nearest source pixel centres, `nearest` takes the source pixel under the output pixel's centre.
 * Also the width, height and colour type of PNG and JPEG files read from their headers (no decode).
 */
import { DataError } from '@genzoo/core';

export type ResizeMethod = 'area' | 'bilinear' | 'nearest';

export interface PixelLayout {
  width: number;
  height: number;
  channels: 1 | 3;
  resize: ResizeMethod;
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes. */
  data: Uint8Array | Uint8ClampedArray;
}

/** Source indices and weights of each output coordinate along one axis. */
function axisWeights(
  from: number,
  to: number,
  method: ResizeMethod,
): { index: number[]; weight: number[] }[] {
  const scale = from / to;
  const result: { index: number[]; weight: number[] }[] = [];
  for (let o = 0; o < to; o++) {
    if (from === to) {
      result.push({ index: [o], weight: [1] });
    } else if (method === 'nearest') {
      result.push({ index: [Math.min(from - 1, Math.floor((o + 0.5) * scale))], weight: [1] });
    } else if (method === 'bilinear') {
      const x = Math.min(from - 1, Math.max(0, (o + 0.5) * scale - 0.5));
      const lo = Math.floor(x);
      const hi = Math.min(from - 1, lo + 1);
      const t = x - lo;
      result.push(hi === lo ? { index: [lo], weight: [1] } : { index: [lo, hi], weight: [1 - t, t] });
    } else {
      const start = o * scale;
      const end = (o + 1) * scale;
      const index: number[] = [];
      const weight: number[] = [];
      for (let s = Math.floor(start); s < Math.min(from, Math.ceil(end)); s++) {
        const overlap = Math.min(end, s + 1) - Math.max(start, s);
        if (overlap > 0) {
          index.push(s);
          weight.push(overlap / scale);
        }
      }
      result.push({ index, weight });
    }
  }
  return result;
}

/** Writes `image` as layout.height × layout.width × layout.channels bytes into `out` at `at`. */
export function toPixels(image: RgbaImage, layout: PixelLayout, out: Uint8Array, at = 0): void {
  const { width: sw, height: sh, data } = image;
  const { width, height, channels, resize } = layout;
  if (data.length < sw * sh * 4)
    throw new DataError(`decoded image data is short: ${data.length} bytes for ${sw}×${sh} RGBA`);
  // Source planes in the target channels, as floats.
  const planes: Float32Array[] = [];
  if (channels === 1) {
    const grey = new Float32Array(sw * sh);
    for (let p = 0; p < sw * sh; p++)
      grey[p] = 0.299 * data[4 * p] + 0.587 * data[4 * p + 1] + 0.114 * data[4 * p + 2];
    planes.push(grey);
  } else {
    for (let c = 0; c < 3; c++) {
      const plane = new Float32Array(sw * sh);
      for (let p = 0; p < sw * sh; p++) plane[p] = data[4 * p + c];
      planes.push(plane);
    }
  }
  const xs = axisWeights(sw, width, resize);
  const ys = axisWeights(sh, height, resize);
  for (let c = 0; c < channels; c++) {
    const plane = planes[c];
    for (let y = 0; y < height; y++) {
      const wy = ys[y];
      for (let x = 0; x < width; x++) {
        const wx = xs[x];
        let v = 0;
        for (let a = 0; a < wy.index.length; a++) {
          const row = wy.index[a] * sw;
          for (let b = 0; b < wx.index.length; b++)
            v += wy.weight[a] * wx.weight[b] * plane[row + wx.index[b]];
        }
        out[at + (y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
}

export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** Stored as greyscale (PNG colour types 0 and 4, single-component JPEG). */
  grey: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Format, size and colour type from a PNG or JPEG file's header; a DataError naming `file` otherwise. */
export function imageInfo(bytes: Uint8Array, file: string): ImageInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (bytes.length < 33 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
      throw new DataError(`${file}: corrupt PNG (no IHDR header)`);
    }
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    const colorType = bytes[25];
    if (width === 0 || height === 0) throw new DataError(`${file}: corrupt PNG (size ${width}×${height})`);
    return { format: 'png', width, height, grey: colorType === 0 || colorType === 4 };
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let p = 2;
    while (p + 4 <= bytes.length) {
      if (bytes[p] !== 0xff) throw new DataError(`${file}: corrupt JPEG (no marker at byte ${p})`);
      const marker = bytes[p + 1];
      if (marker === 0xff) {
        p++;
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        p += 2;
        continue;
      }
      const length = view.getUint16(p + 2);
      const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (sof) {
        if (p + 10 > bytes.length) break;
        const height = view.getUint16(p + 5);
        const width = view.getUint16(p + 7);
        if (width === 0 || height === 0)
          throw new DataError(`${file}: corrupt JPEG (size ${width}×${height})`);
        return { format: 'jpeg', width, height, grey: bytes[p + 9] === 1 };
      }
      p += 2 + length;
    }
    throw new DataError(`${file}: corrupt or truncated JPEG (no frame header)`);
  }
  throw new DataError(`${file}: not a PNG or JPEG image`);
}

/**
 * The common layout of a set of images: `width`/`height` when given (else every image must have the same
 * size: mixed sizes are a DataError naming two files), `channels` when given (else 1 when every image is
 * stored grey, 3 otherwise).
 */
export function commonLayout(
  infos: readonly { file: string; info: ImageInfo }[],
  options: { width?: number; height?: number; channels?: 1 | 3; resize: ResizeMethod },
): PixelLayout {
  if (infos.length === 0) throw new DataError('no images');
  const first = infos[0];
  let { width, height } = options;
  if (width === undefined || height === undefined) {
    const other = infos.find(
      ({ info }) => info.width !== first.info.width || info.height !== first.info.height,
    );
    if (other) {
      throw new DataError(
        `images of different sizes: ${first.file} is ${first.info.width}×${first.info.height}, ${other.file} is ` +
          `${other.info.width}×${other.info.height}; give a size (size, or width and height) to resize them`,
      );
    }
    width = first.info.width;
    height = first.info.height;
  }
  const channels = options.channels ?? (infos.every(({ info }) => info.grey) ? 1 : 3);
  return { width, height, channels, resize: options.resize };
}
