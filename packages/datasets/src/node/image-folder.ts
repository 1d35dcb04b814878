/**
 * `image-folder`: a folder of PNG/JPEG images. Labels come from the immediate sub-folders (`root/cat/…`,
 * `root/dog/…`: classes sorted by name; files under a class folder are found at any depth); images directly
 * in the folder are unlabelled. A folder with `train/` and `test/` sub-folders gives the splits itself.
 * Files are read in sorted order; other files and names starting with '.' are ignored.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError, DataError } from '@genzoo/core';
import type { RowSource } from '../dataset/store.js';
import { type ImageInfo, imageInfo, type PixelLayout, toPixels } from '../formats/pixels.js';
import type { ImageRows, Splits } from '../registry/splits.js';
import { imageLayout, layoutShape } from '../user/images.js';
import type { ImageFolderOptions } from '../user/options.js';
import { userImageSplits } from '../user/splits.js';
import { decodeImage } from './decode.js';
import { checkFingerprint, Fingerprint, shouldStream } from './files.js';

const IMAGE_FILE = /\.(png|jpe?g)$/i;

interface ImageFile {
  path: string;
  /** Path relative to the root, with '/' (fingerprints and errors). */
  rel: string;
  className?: string;
}

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    throw new DataError(`${dir}: cannot read the folder (${(error as Error).message})`, { cause: error });
  }
}

function imagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of entries(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...imagesUnder(path));
    else if (IMAGE_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** The images of one part (the root, or its train/ or test/): loose files, or class sub-folders. */
function scanPart(root: string, dir: string): ImageFile[] {
  const rel = (path: string) => relative(root, path).split('\\').join('/');
  const all = entries(dir);
  const loose = all.filter((e) => !e.isDirectory() && IMAGE_FILE.test(e.name)).map((e) => join(dir, e.name));
  const classes = all
    .filter((e) => e.isDirectory())
    .map((e) => ({ className: e.name, files: imagesUnder(join(dir, e.name)) }))
    .filter((c) => c.files.length > 0);
  if (loose.length > 0 && classes.length > 0) {
    throw new DataError(
      `${dir}: images both directly in the folder (${rel(loose[0])}) and in class sub-folders ` +
        `(${classes.map((c) => c.className).join(', ')}); put every image in a class folder, or none`,
    );
  }
  if (classes.length === 0) return loose.map((path) => ({ path, rel: rel(path) }));
  return classes.flatMap(({ className, files }) =>
    files.map((path) => ({ path, rel: rel(path), className })),
  );
}

function readImage(file: ImageFile): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file.path));
  } catch (error) {
    throw new DataError(`${file.path}: cannot read the image (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** A row source that decodes image files as batches ask for them, keeping the last `cacheRows` rows. */
function imageRows(
  files: readonly ImageFile[],
  layout: PixelLayout,
  rowSize: number,
  cacheRows = 512,
): RowSource {
  const cache = new Map<number, Uint8Array>();
  return {
    rows: files.length,
    dtype: 'uint8',
    read(rows, out) {
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        let row = cache.get(r);
        if (row) {
          cache.delete(r);
        } else {
          row = new Uint8Array(rowSize);
          toPixels(decodeImage(readImage(files[r]), files[r].path), layout, row);
        }
        cache.set(r, row);
        if (cache.size > cacheRows) cache.delete(cache.keys().next().value as number);
        out.set(row, i * rowSize);
      }
    },
  };
}

export async function loadImageFolder(options: ImageFolderOptions): Promise<Splits> {
  if (!options.path) {
    throw new ConfigError('image-folder needs the folder: the path option (CLI: --set data.path=<folder>)');
  }
  const root = resolve(options.path);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new ConfigError(`image-folder: ${root} does not exist`);
  }
  if (!isDir) throw new ConfigError(`image-folder: ${root} is not a folder`);

  const top = entries(root);
  const hasPart = (name: string) => top.some((e) => e.isDirectory() && e.name === name);
  const ownSplits = hasPart('train') && hasPart('test');
  const trainFiles = scanPart(root, ownSplits ? join(root, 'train') : root);
  const testFiles = ownSplits ? scanPart(root, join(root, 'test')) : [];
  const where = `image-folder ${root}`;
  if (trainFiles.length === 0) {
    throw new DataError(`${where}: no PNG or JPEG images (*.png, *.jpg, *.jpeg) in it or its sub-folders`);
  }
  if (ownSplits && testFiles.length === 0) throw new DataError(`${where}: test/ holds no images`);
  const files = [...trainFiles, ...testFiles];
  const labelled = files.filter((f) => f.className !== undefined).length;
  if (labelled !== 0 && labelled !== files.length) {
    throw new DataError(`${where}: train/ and test/ must both have class sub-folders, or neither`);
  }

  // One pass over the bytes: the fingerprint and each image's size and colour type.
  const fingerprint = new Fingerprint();
  const infos: { file: string; info: ImageInfo }[] = [];
  for (const file of files) {
    const bytes = readImage(file);
    fingerprint.add(file.rel, bytes);
    infos.push({ file: file.path, info: imageInfo(bytes, file.path) });
  }
  const found = fingerprint.digest();
  checkFingerprint(options.fingerprint, found, where, `${files.length} images, ${fingerprint.bytes} bytes`);

  const layout = imageLayout(infos, options, where);
  const eventShape = layoutShape(layout);
  const rowSize = eventShape.reduce((a, b) => a * b, 1);
  const classNames = labelled ? [...new Set(files.map((f) => f.className as string))].sort() : undefined;
  const classIndex = new Map(classNames?.map((name, i) => [name, i]));
  const rowsOf = (part: readonly ImageFile[]): ImageRows => {
    const labels = classNames
      ? Int32Array.from(part, (f) => classIndex.get(f.className as string) ?? 0)
      : undefined;
    let pixels: Uint8Array | RowSource;
    if (shouldStream(options, files.length * rowSize)) {
      pixels = imageRows(part, layout, rowSize);
    } else {
      pixels = new Uint8Array(part.length * rowSize);
      for (const [i, file] of part.entries()) {
        toPixels(decodeImage(readImage(file), file.path), layout, pixels, i * rowSize);
      }
    }
    return { count: part.length, pixels, ...(labels ? { labels } : {}) };
  };
  const splits = userImageSplits(
    'image-folder',
    rowsOf(trainFiles),
    ownSplits ? rowsOf(testFiles) : undefined,
    eventShape,
    classNames?.length,
    classNames,
    options,
  );
  return { ...splits, recorded: { path: root, fingerprint: found, channels: layout.channels } };
}
