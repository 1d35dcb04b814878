/** PNG (pngjs) and JPEG (jpeg-js) files → RGBA, with errors that name the file (Node entry). */
import { DataError } from '@genzoo/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { imageInfo, type RgbaImage } from '../formats/pixels.js';

export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const info = imageInfo(bytes, file);
  try {
    if (info.format === 'png') {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    throw new DataError(
      `${file}: corrupt or unreadable ${info.format.toUpperCase()} image (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}
