import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  datasetFromArrays,
  datasetFromCsvText,
  datasetFromImageFiles,
  datasetSpec,
  decodeImage,
  type InMemoryDataset,
  loadDataset,
  parseNpy,
  toPixels,
} from '../src/node.js';
import { tempDir, tf, useCpu } from './helpers.js';

beforeAll(useCpu);

/** A w × h PNG whose RGBA pixels come from `pixel(x, y)`. */
function png(
  w: number,
  h: number,
  pixel: (x: number, y: number) => [number, number, number],
  grey = false,
): Uint8Array {
  const image = new pngjs.PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixel(x, y);
      image.data.set([r, g, b, 255], 4 * (y * w + x));
    }
  return new Uint8Array(pngjs.PNG.sync.write(image, grey ? { colorType: 0 } : {}));
}

function jpg(w: number, h: number, value: number): Uint8Array {
  const data = new Uint8Array(w * h * 4).fill(value);
  return new Uint8Array(jpeg.encode({ width: w, height: h, data }, 100).data);
}

/** A .npy file: header for `descr` and `shape`, then `body`. */
function npy(descr: string, shape: number[], body: Uint8Array, fortran = false, version = 1): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(total - pre - dict.length - 1)}\n`;
  const out = new Uint8Array(total + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), pre);
  out.set(body, total);
  return out;
}

function values(dataset: InMemoryDataset): number[][] {
  const batch = dataset.getBatch(Int32Array.from({ length: dataset.size }, (_, i) => i));
  const out = batch.x.arraySync() as number[][];
  tf.dispose(Object.values(batch));
  return out;
}

function labels(dataset: InMemoryDataset): number[] {
  return [...(dataset.labelArray() ?? [])];
}

describe('image folders', () => {
  const dir = tempDir();
  const pics = join(dir, 'pics');
  beforeAll(() => {
    for (const [c, base] of [
      ['cat', 40],
      ['dog', 200],
    ] as const) {
      mkdirSync(join(pics, c), { recursive: true });
      for (let i = 0; i < 5; i++) {
        writeFileSync(
          join(pics, c, `${i}.png`),
          png(4, 4, () => [base + i, base + i, base + i], true),
        );
      }
    }
    writeFileSync(join(pics, 'dog', 'extra.jpg'), jpg(4, 4, 128));
    writeFileSync(join(pics, 'notes.txt'), 'not an image');
  });

  it('reads labels from sub-folders, grey channels, [0, 1] bytes, and records path and fingerprint', async () => {
    // the JPEG is stored in colour: channels 1 asks for grey
    const data = await loadDataset('image-folder', { path: pics, test: { count: 3 }, channels: 1 });
    expect(data.train.size + data.test.size).toBe(11);
    expect(data.test.size).toBe(3);
    expect(data.train.eventShape).toEqual([4, 4, 1]);
    expect(data.train.numClasses).toBe(2);
    expect(data.train.classNames).toEqual(['cat', 'dog']);
    expect(data.train.values).toEqual({ kind: 'continuous', range: [0, 1], levels: 256 });
    const all = [...values(data.train), ...values(data.test)].map((row) =>
      Math.round((row as unknown as number[][][]).flat(2)[0] * 255),
    );
    const allLabels = [...labels(data.train), ...labels(data.test)];
    // every cat is 40..44, every dog 200..204 or the JPEG's 128 (± JPEG rounding)
    all.forEach((v, i) => {
      if (allLabels[i] === 0) expect(v).toBeGreaterThanOrEqual(40);
      if (allLabels[i] === 0) expect(v).toBeLessThanOrEqual(44);
      if (allLabels[i] === 1) expect(v >= 200 || Math.abs(v - 128) <= 2).toBe(true);
    });
    expect(data.spec.options.path).toBe(pics);
    expect(String(data.spec.options.fingerprint)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(data.spec.options.channels).toBe(1);
    expect(data.spec.options).not.toHaveProperty('maxInMemoryBytes');
    // Reloading from the spec gives the same data; changed files are refused.
    const again = await loadDataset(data.spec.name, data.spec.options);
    expect(values(again.train)).toEqual(values(data.train));
    writeFileSync(
      join(pics, 'cat', '9.png'),
      png(4, 4, () => [1, 2, 3]),
    );
    await expect(loadDataset(data.spec.name, data.spec.options)).rejects.toThrow(
      /data changed since it was recorded/,
    );
  });

  it('resizes (area and nearest), converts to RGB and rescales to [-1, 1] like the built-in sets', async () => {
    const data = await loadDataset('image-folder', {
      path: pics,
      size: 2,
      channels: 3,
      range: [-1, 1],
      flatten: true,
    });
    expect(data.train.eventShape).toEqual([12]);
    expect(data.train.values).toMatchObject({ range: [-1, 1] });
    const out = new Uint8Array(4);
    // A 4×1 ramp 0, 100, 200, 250 shrunk to 2×1: area averages pairs, nearest picks pixels 1 and 3.
    const ramp = {
      width: 4,
      height: 1,
      data: new Uint8Array([0, 0, 0, 255, 100, 100, 100, 255, 200, 200, 200, 255, 250, 250, 250, 255]),
    };
    toPixels(ramp, { width: 2, height: 1, channels: 1, resize: 'area' }, out);
    expect([...out.subarray(0, 2)]).toEqual([50, 225]);
    toPixels(ramp, { width: 2, height: 1, channels: 1, resize: 'nearest' }, out);
    expect([...out.subarray(0, 2)]).toEqual([100, 250]);
    toPixels(
      { width: 1, height: 1, data: new Uint8Array([255, 0, 0, 255]) },
      { width: 1, height: 1, channels: 1, resize: 'area' },
      out,
    );
    expect(out[0]).toBe(76); // BT.601: 0.299 · 255
  });

  it('gives clear errors: mixed sizes, corrupt files, empty folders, loose images beside class folders', async () => {
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    writeFileSync(
      join(mixed, 'a.png'),
      png(4, 4, () => [0, 0, 0], true),
    );
    writeFileSync(
      join(mixed, 'b.png'),
      png(5, 4, () => [0, 0, 0], true),
    );
    await expect(loadDataset('image-folder', { path: mixed })).rejects.toThrow(/b\.png is 5×4.*give a size/);
    expect(
      (await loadDataset('image-folder', { path: mixed, width: 3, height: 3, test: { count: 1 } })).train
        .eventShape,
    ).toEqual([3, 3, 1]);
    writeFileSync(
      join(mixed, 'c.png'),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    );
    await expect(loadDataset('image-folder', { path: mixed, size: 3 })).rejects.toThrow(
      /c\.png: corrupt PNG/,
    );
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(loadDataset('image-folder', { path: empty })).rejects.toThrow(/no PNG or JPEG images/);
    await expect(loadDataset('image-folder', {})).rejects.toThrow(/needs the folder: the path option/);
    await expect(loadDataset('image-folder', { path: pics, channels: 2 })).rejects.toThrow(
      /channels must be 1 or 3/,
    );
    writeFileSync(
      join(pics, 'loose.png'),
      png(4, 4, () => [0, 0, 0]),
    );
    await expect(loadDataset('image-folder', { path: pics })).rejects.toThrow(/both directly in the folder/);
    expect(() => decodeImage(jpg(2, 2, 1).subarray(0, 40), 'x.jpg')).toThrow(/x\.jpg/);
  });

  it('takes the splits from train/ and test/ folders', async () => {
    const split = join(dir, 'split');
    for (const part of ['train', 'test'])
      for (const c of ['a', 'b']) {
        mkdirSync(join(split, part, c), { recursive: true });
        writeFileSync(
          join(split, part, c, '0.png'),
          png(2, 2, () => [c === 'a' ? 0 : 255, 0, 0]),
        );
      }
    const data = await loadDataset('image-folder', { path: split });
    expect([data.train.size, data.test.size]).toEqual([2, 2]);
    expect(labels(data.test)).toEqual([0, 1]);
    await expect(loadDataset('image-folder', { path: split, test: { fraction: 0.5 } })).rejects.toThrow(
      /own test part/,
    );
  });

  it('streams from disk batch for batch like the in-memory set, under every transform', async () => {
    const opts = { path: join(dir, 'split'), binarize: 'static', validation: { count: 1 } };
    const big = join(dir, 'big');
    mkdirSync(big);
    for (let i = 0; i < 30; i++)
      writeFileSync(
        join(big, `${String(i).padStart(2, '0')}.png`),
        png(3, 3, (x, y) => [(i * 8 + x * 3 + y) % 256, i, 0]),
      );
    for (const options of [
      { path: big, binarize: 'dynamic', validation: { count: 4 } },
      { path: big, dequantize: true, range: [-1, 1] },
      { path: big, binarize: 'static', channels: 3 },
      opts,
    ]) {
      const memory = await loadDataset('image-folder', { ...options, stream: false });
      const stream = await loadDataset('image-folder', { ...options, stream: true, maxInMemoryBytes: 1 });
      expect(stream.spec).toEqual(memory.spec);
      for (const [a, b] of [
        [memory.train, stream.train],
        [memory.test, stream.test],
      ] as const) {
        const bs = { batchSize: 4, shuffle: true, seed: 3, epoch: 1 };
        const left = [...a.batches(bs)];
        const right = [...b.batches(bs)];
        expect(right.length).toBe(left.length);
        left.forEach((batch, i) => {
          expect(right[i].x.arraySync()).toEqual(batch.x.arraySync());
          expect(right[i].labels?.arraySync()).toEqual(batch.labels?.arraySync());
        });
        tf.dispose([...left, ...right].flatMap((batch) => Object.values(batch)));
      }
    }
    // automatic: above maxInMemoryBytes
    const auto = await loadDataset('image-folder', { path: big, maxInMemoryBytes: 10 });
    expect(auto.train.size).toBe(27);
  });
});

describe('csv', () => {
  const dir = tempDir();
  it('reads numbers with a header and a label column, in memory and streamed alike', async () => {
    const file = join(dir, 'a.csv');
    const lines = ['x,y,kind'];
    for (let i = 0; i < 20; i++) lines.push(`${i},${-i / 2},${i % 3 === 0 ? 'odd' : 'even'}`);
    writeFileSync(file, `${lines.join('\r\n')}\r\n\r\n`);
    const memory = await loadDataset('csv', { path: file, labelColumn: 'kind', test: { count: 5 } });
    const stream = await loadDataset('csv', {
      path: file,
      labelColumn: 'kind',
      test: { count: 5 },
      stream: true,
    });
    expect(memory.train.eventShape).toEqual([2]);
    expect(memory.train.numClasses).toBe(2);
    expect(memory.train.values).toEqual({ kind: 'continuous', range: [-9.5, 19] });
    expect(values(stream.train)).toEqual(values(memory.train));
    expect(values(stream.test)).toEqual(values(memory.test));
    expect(labels(stream.train)).toEqual(labels(memory.train));
    const rows = [...values(memory.train), ...values(memory.test)].sort((a, b) => a[0] - b[0]);
    expect(rows[7]).toEqual([7, -3.5]);
    // the same text in the browser API
    const text = datasetFromCsvText(lines.join('\n'), { labelColumn: 2, test: { count: 5 } });
    expect(values(text.train)).toEqual(values(memory.train));
  });

  it('names the line and column of a bad cell, ragged rows and NaN', async () => {
    const bad = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return loadDataset('csv', { path: join(dir, name) });
    };
    await expect(bad('b1.csv', 'a,b\n1,2\n3,x\n')).rejects.toThrow(
      /line 3, column 2 \("b"\): "x" is not a number/,
    );
    await expect(bad('b2.csv', '1,2\n3\n')).rejects.toThrow(/line 2 has 1 cells, expected 2/);
    await expect(bad('b3.csv', '1,2\nNaN,4\n')).rejects.toThrow(/line 2, column 1: NaN/);
    await expect(bad('b4.csv', '1,2\n,4\n')).rejects.toThrow(/line 2, column 1: empty cell/);
    await expect(bad('b5.csv', '')).rejects.toThrow(/empty/);
  });
});

describe('npy', () => {
  const dir = tempDir();
  it('parses float32, big-endian float64, int32 and uint8 arrays; Fortran order is transposed', () => {
    const f4 = new Float32Array([1, 2.5, -3, 4, 5, 6]);
    expect([...parseNpy(npy('<f4', [2, 3], new Uint8Array(f4.buffer))).values]).toEqual([
      1, 2.5, -3, 4, 5, 6,
    ]);
    const be = new Uint8Array(16);
    new DataView(be.buffer).setFloat64(0, 0.25, false);
    new DataView(be.buffer).setFloat64(8, -7, false);
    const parsed = parseNpy(npy('>f8', [2, 1], be, false, 2));
    expect([...parsed.values]).toEqual([0.25, -7]);
    expect(parsed.header.version).toEqual([2, 0]);
    const i4 = new Int32Array([-1, 7]);
    expect([...parseNpy(npy('<i4', [1, 2], new Uint8Array(i4.buffer))).values]).toEqual([-1, 7]);
    const u1 = parseNpy(npy('|u1', [2, 2], new Uint8Array([1, 2, 3, 4])));
    expect(u1.values).toBeInstanceOf(Uint8Array);
    // Fortran order: column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6
    const fortran = new Float32Array([1, 4, 2, 5, 3, 6]);
    expect([...parseNpy(npy('<f4', [2, 3], new Uint8Array(fortran.buffer), true)).values]).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(() => parseNpy(npy('<c8', [1], new Uint8Array(8)))).toThrow(/unsupported \.npy dtype '<c8'/);
    expect(() => parseNpy(npy('<f4', [2, 3], new Uint8Array(20)))).toThrow(
      /needs 24 data bytes, the file has 20 \(truncated\)/,
    );
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toThrow(/not a \.npy file/);
    const corrupt = npy('<f4', [1], new Uint8Array(4));
    corrupt.set(new TextEncoder().encode('{"nonsense": 1}'), 10);
    expect(() => parseNpy(corrupt)).toThrow(/corrupt \.npy header/);
  });

  it('loads uint8 images as the built-in image sets do, streamed or not, with labels from a second file', async () => {
    const pixels = Uint8Array.from({ length: 12 * 2 * 2 }, (_, i) => (i * 11) % 256);
    writeFileSync(join(dir, 'x.npy'), npy('|u1', [12, 2, 2], pixels));
    writeFileSync(
      join(dir, 'y.npy'),
      npy(
        '<i8',
        [12],
        new Uint8Array(new BigInt64Array(Array.from({ length: 12 }, (_, i) => BigInt(i % 4))).buffer),
      ),
    );
    const options = {
      path: join(dir, 'x.npy'),
      labelsPath: join(dir, 'y.npy'),
      binarize: 'static',
      test: { count: 2 },
    };
    const memory = await loadDataset('npy', options);
    const stream = await loadDataset('npy', { ...options, stream: true });
    expect(memory.train.eventShape).toEqual([2, 2, 1]);
    expect(memory.train.numClasses).toBe(4);
    expect(memory.train.values).toEqual({ kind: 'binary' });
    expect(values(stream.train)).toEqual(values(memory.train));
    expect(memory.spec.options.labelsPath).toBe(join(dir, 'y.npy'));
    const floats = new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]);
    writeFileSync(join(dir, 'f.npy'), npy('<f4', [4, 2], new Uint8Array(floats.buffer)));
    const f = await loadDataset('npy', {
      path: join(dir, 'f.npy'),
      range: [-1, 1],
      test: { count: 1 },
      stream: true,
    });
    expect(f.train.values).toEqual({ kind: 'continuous', range: [-1, 1] });
    await expect(loadDataset('npy', { path: join(dir, 'f.npy'), binarize: 'static' })).rejects.toThrow(
      /8-bit data/,
    );
    const nan = new Float32Array([0, Number.NaN]);
    writeFileSync(join(dir, 'nan.npy'), npy('<f4', [2, 1], new Uint8Array(nan.buffer)));
    await expect(loadDataset('npy', { path: join(dir, 'nan.npy') })).rejects.toThrow(/example 1.*not finite/);
    writeFileSync(join(dir, 'fortran.npy'), npy('<f4', [4, 2], new Uint8Array(floats.buffer), true));
    await expect(loadDataset('npy', { path: join(dir, 'fortran.npy'), stream: true })).rejects.toThrow(
      /Fortran-order/,
    );
  });

  it('parses options from --set strings like the other datasets', () => {
    const spec = datasetSpec('image-folder', { path: '/x', size: 28, stream: true, offline: true });
    expect(spec.options).toMatchObject({ path: '/x', size: 28, range: [0, 1], resize: 'area' });
    expect(spec.options).not.toHaveProperty('stream');
    expect(() => datasetSpec('image-folder', { size: 28, width: 3, height: 3 })).toThrow(
      /size, or width and height/,
    );
  });
});

describe('browser API', () => {
  it('datasetFromArrays: float vectors and byte images, labels and a seeded test split', () => {
    const floats = Float32Array.from({ length: 20 }, (_, i) => i);
    const a = datasetFromArrays(
      { values: floats, shape: [10, 2], labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] },
      { test: { count: 2 } },
    );
    const b = datasetFromArrays(
      { values: floats, shape: [10, 2], labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] },
      { test: { count: 2 } },
    );
    expect([a.train.size, a.test.size]).toEqual([8, 2]);
    expect(values(a.test)).toEqual(values(b.test));
    expect(a.train.values).toEqual({ kind: 'continuous', range: [0, 19] });
    expect(a.train.numClasses).toBe(2);
    const bytes = datasetFromArrays(
      { values: new Uint8Array(5 * 4).fill(255), shape: [5, 2, 2] },
      { range: [-1, 1], test: { count: 1 } },
    );
    expect(bytes.train.eventShape).toEqual([2, 2, 1]);
    expect(values(bytes.train)[0]).toEqual([
      [[1], [1]],
      [[1], [1]],
    ]);
    expect(() => datasetFromArrays({ values: floats, shape: [3, 2] })).toThrow(
      /20 values for shape \[3, 2\]/,
    );
    expect(() => datasetFromArrays({ values: new Float32Array([0, Number.NaN]), shape: [2, 1] })).toThrow(
      /not finite/,
    );
  });

  it('datasetFromImageFiles: decodes picked files with a decoder, labels from their folders; a clear error without a canvas', async () => {
    const file = (name: string, bytes: Uint8Array) =>
      Object.assign(new Blob([bytes as Uint8Array<ArrayBuffer>]), { webkitRelativePath: name });
    const files = [
      file(
        'root/a/0.png',
        png(2, 2, () => [10, 10, 10]),
      ),
      file(
        'root/b/0.png',
        png(2, 2, () => [250, 250, 250]),
      ),
      file(
        'root/a/1.png',
        png(2, 2, () => [20, 20, 20]),
      ),
    ];
    const splits = await datasetFromImageFiles(
      files,
      { test: { count: 1 } },
      { decode: (bytes, name) => decodeImage(bytes, name) as never },
    );
    expect(splits.train.classNames).toEqual(['a', 'b']);
    expect(splits.train.size + splits.test.size).toBe(3);
    await expect(datasetFromImageFiles(files)).rejects.toThrow(/createImageBitmap and OffscreenCanvas/);
  });
});
