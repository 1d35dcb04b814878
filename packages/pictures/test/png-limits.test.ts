/** A PNG whose header declares a huge image fails at once with a ResourceError, before decoding. */
import { crc32, deflateSync } from 'node:zlib';
import { ResourceError } from '@genzoo/core';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from '../src/png.js';

/** The error `fn` throws, and how long it took to throw it. */
function thrown(fn: () => unknown): { error: unknown; ms: number } {
  const start = performance.now();
  try {
    fn();
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
  throw new Error('expected an error');
}

/** A valid grayscale PNG of width × height black pixels; its IDAT compresses to almost nothing. */
function blackPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  // Each row: filter byte 0, then `width` zero pixels.
  const rows = deflateSync(Buffer.alloc((width + 1) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodePng limits', () => {
  it('refuses a PNG declaring 12000×12000 pixels from its header, before decoding', () => {
    const png = blackPng(12_000, 12_000);
    expect(png.length).toBeLessThan(200_000);
    const { error, ms } = thrown(() => decodePng(png));
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as Error).message).toMatch(/declares 12000×12000 pixels, more than the 16,777,216/);
    expect(ms).toBeLessThan(200);
  });

  it('decodes a PNG within the limit, and takes a smaller limit as an option', () => {
    const png = blackPng(64, 48);
    const image = decodePng(png);
    expect([image.width, image.height, image.data.length]).toEqual([64, 48, 64 * 48 * 4]);
    expect(() => decodePng(png, { maxPixels: 1000 })).toThrow(/declares 64×48 pixels, more than the 1,000/);
    const pixel = encodePng({ width: 1, height: 1, data: Uint8Array.of(1, 2, 3, 255) });
    expect(decodePng(pixel).data).toEqual(Uint8Array.of(1, 2, 3, 255));
  });

  it('names a file that is not a PNG', () => {
    expect(() => decodePng(Buffer.from('GIF89a, not a PNG at all'))).toThrow(/not a PNG file/);
    const png = blackPng(2, 2);
    png.write('IDAT', 12, 'latin1');
    expect(() => decodePng(png)).toThrow(/first chunk must be IHDR, found "IDAT"/);
  });
});
