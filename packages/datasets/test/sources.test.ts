import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@genzoo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DownloadProgress,
  downloadVerified,
  FASHION_MNIST_SOURCE,
  findSource,
  loadDataset,
  obtainSource,
  readIdxPair,
  type SourceSpec,
} from '../src/node.js';
import { mnistLikeFixture, tarArchive, tempDir } from './helpers.js';

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A local server for the fixtures: never the network. */
const served = new Map<string, Uint8Array>();
const requests: string[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = served.get(request.url ?? '');
    if (!body) {
      response.writeHead(404, 'Not Found').end();
      return;
    }
    response.writeHead(200, { 'content-length': body.length });
    // Two chunks, so the body arrives in parts (the client may still read them as one).
    response.write(body.subarray(0, body.length >> 1));
    setTimeout(() => response.end(body.subarray(body.length >> 1)), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const dir = tempDir();
const noEnv = {};

/** Files left behind in a folder, to check that failed downloads leave nothing. */
function listing(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

describe('downloadVerified', () => {
  it('writes the file when the checksum matches, reporting progress', async () => {
    const body = new Uint8Array(100_000).map((_, i) => (i * 31) % 251);
    served.set('/ok.bin', body);
    const dest = join(dir, 'dl', 'ok.bin');
    const progress: DownloadProgress[] = [];
    await downloadVerified(
      { url: `${base}/ok.bin`, file: 'ok.bin', checksum: { algorithm: 'sha256', hex: sha256(body) } },
      dest,
      { onProgress: (p) => progress.push(p) },
    );
    expect(new Uint8Array(readFileSync(dest))).toEqual(body);
    const received = progress.map((p) => p.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({
      url: `${base}/ok.bin`,
      file: dest,
      receivedBytes: 100_000,
      totalBytes: 100_000,
    });
    expect(listing(join(dir, 'dl'))).toEqual(['ok.bin']);
  });

  it('discards the download on a checksum mismatch and says which checksum it expected', async () => {
    served.set('/tampered.bin', new Uint8Array([1, 2, 3]));
    const folder = join(dir, 'mismatch');
    const expected = md5(new Uint8Array([1, 2, 4]));
    const attempt = downloadVerified(
      { url: `${base}/tampered.bin`, file: 'x', checksum: { algorithm: 'md5', hex: expected } },
      join(folder, 'tampered.bin'),
    );
    await expect(attempt).rejects.toThrow(DataError);
    await expect(attempt).rejects.toThrow(
      `checksum mismatch for ${base}/tampered.bin: expected md5 ${expected}, got ${md5(new Uint8Array([1, 2, 3]))}`,
    );
    expect(listing(folder)).toEqual([]);
  });

  it('reports HTTP errors with the status', async () => {
    const attempt = downloadVerified(
      { url: `${base}/missing.bin`, file: 'x', checksum: { algorithm: 'md5', hex: '0' } },
      join(dir, 'missing', 'missing.bin'),
    );
    await expect(attempt).rejects.toThrow(`downloading ${base}/missing.bin failed: HTTP 404 Not Found`);
    expect(listing(join(dir, 'missing'))).toEqual([]);
  });
});

describe('obtainSource', () => {
  const fixture = mnistLikeFixture(5);
  const files = {
    'train-images-idx3-ubyte': gzipSync(fixture.images),
    'train-labels-idx1-ubyte': gzipSync(fixture.labels),
  };
  /** An MNIST-like source whose downloads point at the local server. */
  function spec(id: string, checksums: Record<string, string> = {}): SourceSpec {
    return {
      id,
      files: Object.keys(files),
      gzipVariants: true,
      subfolders: [''],
      systemDirs: [],
      download: {
        kind: 'files',
        files: Object.entries(files).map(([name, bytes]) => {
          served.set(`/${id}/${name}.gz`, bytes);
          return {
            url: `${base}/${id}/${name}.gz`,
            file: `${name}.gz`,
            checksum: { algorithm: 'md5' as const, hex: checksums[name] ?? md5(bytes) },
          };
        }),
      },
      homepage: 'https://example.org/toy-idx',
    };
  }

  it('downloads into the cache once, then finds the files there', async () => {
    const cacheDir = join(dir, 'cache-a');
    const located = await obtainSource(spec('toy-idx'), { cacheDir, env: noEnv });
    expect(located.origin).toBe('cache');
    expect(located.dir).toBe(join(cacheDir, 'toy-idx'));
    const pair = await readIdxPair(
      located.files['train-images-idx3-ubyte'],
      located.files['train-labels-idx1-ubyte'],
    );
    expect(pair.count).toBe(5);
    const before = requests.length;
    const again = await obtainSource(spec('toy-idx'), { cacheDir, env: noEnv, offline: true });
    expect(again.dir).toBe(located.dir);
    expect(requests.length).toBe(before);
  });

  it('fails on a checksum mismatch, leaving no file and listing how to get the data', async () => {
    const cacheDir = join(dir, 'cache-b');
    const bad = spec('bad-idx', { 'train-labels-idx1-ubyte': 'ffffffffffffffffffffffffffffffff' });
    const attempt = obtainSource(bad, { cacheDir, env: noEnv });
    await expect(attempt).rejects.toThrow(
      /checksum mismatch for .*train-labels-idx1-ubyte\.gz: expected md5 f{32}/,
    );
    await expect(attempt).rejects.toThrow(/bad-idx: data files not found \(the download failed\)/);
    // The verified first file stays; the bad one left nothing behind.
    expect(listing(join(cacheDir, 'bad-idx'))).toEqual(['train-images-idx3-ubyte.gz']);
  });

  it('downloads and unpacks a .tar.gz archive, keeping only the members', async () => {
    const members = { 'one.bin': new Uint8Array([1]), 'two.bin': new Uint8Array([2, 2]) };
    const archive = gzipSync(
      tarArchive({
        'pack/one.bin': members['one.bin'],
        'pack/two.bin': members['two.bin'],
        'pack/x.txt': new Uint8Array(3),
      }),
    );
    served.set('/pack.tar.gz', archive);
    const packSpec: SourceSpec = {
      id: 'pack',
      files: ['one.bin', 'two.bin'],
      gzipVariants: false,
      subfolders: [''],
      systemDirs: [],
      download: {
        kind: 'tar.gz',
        archive: {
          url: `${base}/pack.tar.gz`,
          file: 'pack.tar.gz',
          checksum: { algorithm: 'sha256', hex: sha256(archive) },
        },
        members: ['one.bin', 'two.bin'],
      },
      homepage: 'https://example.org/pack',
    };
    const cacheDir = join(dir, 'cache-c');
    const located = await obtainSource(packSpec, { cacheDir, env: noEnv });
    expect(listing(located.dir)).toEqual(['one.bin', 'two.bin']);
    expect(new Uint8Array(readFileSync(located.files['two.bin']))).toEqual(members['two.bin']);
  });
});

describe('finding files', () => {
  it('looks in GENZOO_DATA_DIR/<name> before the system folders and the cache', () => {
    const dataDir = join(dir, 'data');
    mkdirSync(join(dataDir, 'fashion-mnist'), { recursive: true });
    const { images, labels } = mnistLikeFixture(2);
    for (const split of ['train', 't10k']) {
      writeFileSync(join(dataDir, 'fashion-mnist', `${split}-images-idx3-ubyte`), images);
      writeFileSync(join(dataDir, 'fashion-mnist', `${split}-labels-idx1-ubyte.gz`), gzipSync(labels));
    }
    const { located } = findSource(FASHION_MNIST_SOURCE, { env: { GENZOO_DATA_DIR: dataDir } });
    expect(located?.origin).toBe('GENZOO_DATA_DIR');
    expect(located?.files['train-labels-idx1-ubyte']).toBe(
      join(dataDir, 'fashion-mnist', 'train-labels-idx1-ubyte.gz'),
    );
  });

  it('offline and missing: the error lists every place looked in and every way to get the files', async () => {
    const cacheDir = join(dir, 'empty-cache');
    const attempt = loadDataset(
      'fashion-mnist',
      { offline: true, cacheDir },
      { env: noEnv, systemDirs: ['/nonexistent/fm'] },
    );
    await expect(attempt).rejects.toThrow(DataError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(
      'fashion-mnist: data files not found (downloads are off: offline option set). Looked in:',
    );
    expect(message).toContain('$GENZOO_DATA_DIR/fashion-mnist (GENZOO_DATA_DIR): not set');
    expect(message).toContain('/nonexistent/fm (system folder): no such folder');
    expect(message).toContain(`${join(cacheDir, 'fashion-mnist')} (cache): no such folder`);
    expect(message).toContain('sudo apt install dataset-fashion-mnist');
    expect(message).toContain(
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz',
    );
    expect(message).toContain('GENZOO_OFFLINE');
  });

  it('GENZOO_OFFLINE=1 also turns downloads off, and an explicit path is the only place searched', async () => {
    const env = { GENZOO_OFFLINE: '1', GENZOO_CACHE_DIR: join(dir, 'env-cache') };
    await expect(loadDataset('mnist', {}, { env, systemDirs: [] })).rejects.toThrow(
      /mnist: data files not found \(downloads are off: GENZOO_OFFLINE is set\)/,
    );
    const folder = join(dir, 'partial');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'train-images-idx3-ubyte'), mnistLikeFixture(1).images);
    const attempt = loadDataset('mnist', { path: folder }, { env: {} });
    await expect(attempt).rejects.toThrow(/the folder given as "path" lacks them/);
    await expect(attempt).rejects.toThrow(`${folder} (path option): missing train-labels-idx1-ubyte[.gz]`);
  });
});
