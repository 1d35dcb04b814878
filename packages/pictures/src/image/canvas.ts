/**
 * A minimal RGBA raster with alpha blending: rectangles, anti-aliased polylines and discs, and bitmap
 * text. Anti-aliasing uses pixel coverage from the distance between a pixel's centre and the shape:
 * coverage = clamp(r + ½ − d, 0, 1), which is exact for a pixel-wide ramp and cheap.
 */
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from './font5x7.js';
import type { Rgb, RgbaImage } from './types.js';

export class Canvas implements RgbaImage {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      this.data.set(background, 4 * i);
      this.data[4 * i + 3] = 255;
    }
  }

  /** Blends `color` over pixel (x, y) with opacity `alpha`; pixels outside are ignored. */
  blend(x: number, y: number, color: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = 4 * (y * this.width + x);
    const a = Math.min(1, alpha);
    for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(this.data[i + k] * (1 - a) + color[k] * a);
  }

  fillRect(x: number, y: number, width: number, height: number, color: Rgb, alpha = 1): void {
    for (let py = Math.max(0, y); py < Math.min(this.height, y + height); py++) {
      for (let px = Math.max(0, x); px < Math.min(this.width, x + width); px++)
        this.blend(px, py, color, alpha);
    }
  }

  /** A filled disc centred at (cx, cy) in pixel coordinates (pixel centres at +½). */
  fillDisc(cx: number, cy: number, radius: number, color: Rgb, alpha = 1): void {
    const x0 = Math.floor(cx - radius - 1);
    const y0 = Math.floor(cy - radius - 1);
    for (let py = y0; py <= Math.ceil(cy + radius + 1); py++) {
      for (let px = x0; px <= Math.ceil(cx + radius + 1); px++) {
        const d = Math.hypot(px + 0.5 - cx, py + 0.5 - cy);
        const coverage = Math.min(1, Math.max(0, radius + 0.5 - d));
        if (coverage > 0) this.blend(px, py, color, alpha * coverage);
      }
    }
  }

  /**
   * A polyline of the given stroke width. Coverage is the maximum over its segments, so joints are not
   * blended twice. Non-finite points break the line.
   */
  strokePolyline(points: ReadonlyArray<readonly [number, number]>, color: Rgb, width = 1.5, alpha = 1): void {
    const coverage = new Float32Array(this.width * this.height);
    const r = width / 2;
    let bounds = [this.width, this.height, -1, -1];
    for (let s = 0; s + 1 < points.length; s++) {
      const [x0, y0] = points[s];
      const [x1, y1] = points[s + 1];
      if (![x0, y0, x1, y1].every(Number.isFinite)) continue;
      const minX = Math.max(0, Math.floor(Math.min(x0, x1) - r - 1));
      const maxX = Math.min(this.width - 1, Math.ceil(Math.max(x0, x1) + r + 1));
      const minY = Math.max(0, Math.floor(Math.min(y0, y1) - r - 1));
      const maxY = Math.min(this.height - 1, Math.ceil(Math.max(y0, y1) + r + 1));
      bounds = [
        Math.min(bounds[0], minX),
        Math.min(bounds[1], minY),
        Math.max(bounds[2], maxX),
        Math.max(bounds[3], maxY),
      ];
      const dx = x1 - x0;
      const dy = y1 - y0;
      const length2 = dx * dx + dy * dy;
      for (let py = minY; py <= maxY; py++) {
        for (let px = minX; px <= maxX; px++) {
          const cx = px + 0.5;
          const cy = py + 0.5;
          const t = length2 > 0 ? Math.min(1, Math.max(0, ((cx - x0) * dx + (cy - y0) * dy) / length2)) : 0;
          const d = Math.hypot(cx - (x0 + t * dx), cy - (y0 + t * dy));
          const c = Math.min(1, Math.max(0, r + 0.5 - d));
          const i = py * this.width + px;
          if (c > coverage[i]) coverage[i] = c;
        }
      }
    }
    for (let py = bounds[1]; py <= bounds[3]; py++) {
      for (let px = bounds[0]; px <= bounds[2]; px++) {
        const c = coverage[py * this.width + px];
        if (c > 0) this.blend(px, py, color, alpha * c);
      }
    }
  }

  /** A 1-pixel horizontal or vertical line between integer pixel positions (inclusive). */
  hairline(x0: number, y0: number, x1: number, y1: number, color: Rgb, alpha = 1): void {
    if (y0 === y1) this.fillRect(Math.min(x0, x1), y0, Math.abs(x1 - x0) + 1, 1, color, alpha);
    else if (x0 === x1) this.fillRect(x0, Math.min(y0, y1), 1, Math.abs(y1 - y0) + 1, color, alpha);
    else throw new Error('hairline: only horizontal and vertical lines');
  }

  /**
   * Text in the 5×7 font. Horizontal text has its top at y and is aligned on x by `anchor`. Vertical
   * text (for y-axis labels) runs bottom to top with its left side at x and is aligned on y by `anchor`
   * ('start': its bottom end at y).
   */
  drawText(
    x: number,
    y: number,
    text: string,
    color: Rgb,
    options: { scale?: number; anchor?: 'start' | 'middle' | 'end'; vertical?: boolean } = {},
  ): void {
    const scale = options.scale ?? 1;
    const width = textWidth(text, scale);
    const shift = options.anchor === 'middle' ? Math.round(width / 2) : options.anchor === 'end' ? width : 0;
    for (let c = 0; c < text.length; c++) {
      const rows = glyph(text[c]);
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (!(rows[row] & (1 << (GLYPH_WIDTH - 1 - col)))) continue;
          // Position along the text and across it, in pixels, before rotation.
          const along = c * GLYPH_ADVANCE * scale + col * scale - shift;
          const across = row * scale;
          const px = options.vertical ? x + across : x + along;
          const py = options.vertical ? y - along - scale : y + across;
          this.fillRect(px, py, scale, scale, color);
        }
      }
    }
  }
}
