/** Shared by the Node image folders and the browser's picked files: the layout and the labels of images. */
import { ConfigError } from '@genzoo/core';
import { commonLayout, type ImageInfo, type PixelLayout, type ResizeMethod } from '../formats/pixels.js';

export interface ImageLayoutOptions {
  size?: number;
  width?: number;
  height?: number;
  channels?: 1 | 3;
  resize: ResizeMethod;
}

/** The layout every image is converted to (see commonLayout); `where` names the data in errors. */
export function imageLayout(
  infos: readonly { file: string; info: ImageInfo }[],
  options: ImageLayoutOptions,
  where: string,
): PixelLayout {
  if (infos.length === 0) throw new ConfigError(`${where}: no PNG or JPEG images`);
  const size =
    options.size !== undefined
      ? { width: options.size, height: options.size }
      : options.width !== undefined && options.height !== undefined
        ? { width: options.width, height: options.height }
        : {};
  try {
    return commonLayout(infos, {
      ...size,
      ...(options.channels !== undefined ? { channels: options.channels } : {}),
      resize: options.resize,
    });
  } catch (error) {
    (error as Error).message = `${where}: ${(error as Error).message}`;
    throw error;
  }
}

export function layoutShape(layout: PixelLayout): number[] {
  return [layout.height, layout.width, layout.channels];
}

/** Class names (sorted) and each item's label from its class name. */
export function labelsFromNames(names: readonly string[]): { classNames: string[]; labels: Int32Array } {
  const classNames = [...new Set(names)].sort();
  const index = new Map(classNames.map((name, i) => [name, i]));
  return { classNames, labels: Int32Array.from(names, (name) => index.get(name) ?? 0) };
}
