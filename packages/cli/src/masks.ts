/**
 * Which pixels of an image `genzoo complete` keeps (observed, 1) and which it has the model draw
 * (missing, 0): a named region or a mask PNG. An autoregressive model draws the missing pixels in its
 * raster order, so `top-half` gives an exact sample of p(bottom | top); for the other masks some missing
 * pixels come before observed ones, and each missing pixel conditions only on the pixels before it.
 */
import { ConfigError } from '@genzoo/core';
import { luminance, readImagePng } from './image-input.js';

export const MASK_NAMES = ['top-half', 'bottom-half', 'left-half', 'right-half', 'center'] as const;
export type MaskName = (typeof MASK_NAMES)[number];

/** Whether pixel (row y, column x) of an h × w image is observed under each named mask. */
const OBSERVED: Record<MaskName, (y: number, x: number, h: number, w: number) => boolean> = {
  'top-half': (y, _x, h) => y < Math.floor(h / 2),
  'bottom-half': (y, _x, h) => y >= Math.floor(h / 2),
  'left-half': (_y, x, _h, w) => x < Math.floor(w / 2),
  'right-half': (_y, x, _h, w) => x >= Math.floor(w / 2),
  // A centred block of half the height and half the width is hidden (14 × 14 of a 28 × 28 digit).
  center: (y, x, h, w) => !(inCentre(y, h) && inCentre(x, w)),
};

/** Whether i lies in the centred half of 0 … side − 1. */
function inCentre(i: number, side: number): boolean {
  const start = Math.floor((side - Math.floor(side / 2)) / 2);
  return i >= start && i < start + Math.floor(side / 2);
}

export function isMaskName(name: string): name is MaskName {
  return (MASK_NAMES as readonly string[]).includes(name);
}

/** Checks `--mask` before anything slow is loaded: a mask name, or the path of a PNG. */
export function checkMaskSpec(spec: string): void {
  if (!isMaskName(spec) && !spec.toLowerCase().endsWith('.png')) {
    throw new ConfigError(`--mask must be one of ${MASK_NAMES.join(', ')} or a mask .png, got "${spec}"`);
  }
}

/** The mask `--mask` names: a named region, or else the path of a mask PNG. Row-major, one value a pixel. */
export function observedMask(spec: string, height: number, width: number): Float32Array {
  checkMaskSpec(spec);
  return isMaskName(spec) ? namedMask(spec, height, width) : maskFromPng(spec, height, width);
}

export function namedMask(name: MaskName, height: number, width: number): Float32Array {
  const mask = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) mask[y * width + x] = OBSERVED[name](y, x, height, width) ? 1 : 0;
  }
  return mask;
}

/** A mask PNG of the image's size: white (luminance ≥ ½) is observed, black is drawn. */
export function maskFromPng(path: string, height: number, width: number): Float32Array {
  const gray = luminance(readImagePng(path, height, width, '--mask'));
  return gray.map((v) => (v >= 0.5 ? 1 : 0));
}

/** The per-pixel mask repeated over `channels` values per pixel (RGB models observe whole pixels). */
export function perChannel(mask: Float32Array, channels: number): Float32Array {
  if (channels === 1) return mask;
  const out = new Float32Array(mask.length * channels);
  for (let i = 0; i < mask.length; i++) out.fill(mask[i], i * channels, (i + 1) * channels);
  return out;
}
