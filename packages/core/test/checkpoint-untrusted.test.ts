/**
 * A checkpoint's manifest is untrusted input: whatever it says, loading touches only the files of the
 * checkpoint folder, reads no more than their declared sizes, never hangs, and fails with a
 * CheckpointError that says what is wrong and nothing about files outside the folder.
 *
 * A hook on node:fs records every file-system call during a load (and refuses, instead of hanging or
 * reading, to open a file the load must not touch); the first test checks that the hook sees the loader's
 * calls at all, so the others cannot pass for want of recording.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, nonFiniteCount } from '../src/checkpoint/binary.js';
import { loadCheckpoint, loadModel, MAX_MANIFEST_BYTES, readManifest } from '../src/checkpoint/load.js';
import type { CheckpointManifest } from '../src/checkpoint/manifest.js';
import { type CheckpointContents, saveCheckpoint } from '../src/checkpoint/save.js';
import { CheckpointError } from '../src/errors.js';
import { checkpointDirectory } from '../src/node/checkpoint-directory.js';
import { trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  checkpointContents,
  gaussianData,
  ToyAutoencoder,
  toyAeConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-untrusted-'));
const pristine = join(root, 'pristine');
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------
// The file-system hook.

type Fs = typeof import('node:fs');
/** The CommonJS fs object: patching it and then syncBuiltinESMExports() reaches ESM named imports too. */
const fs = createRequire(import.meta.url)('node:fs') as Fs;

interface FsCall {
  op: string;
  /** The path as given, or the path an fd was opened with. */
  path: string;
}

/** What one load did to the file system. */
interface FsLog {
  calls: FsCall[];
  /** "dev:ino" of every file opened. */
  opened: Set<string>;
  /** Bytes read, by path. */
  bytesRead: Map<string, number>;
}

const original = {
  openSync: fs.openSync,
  readSync: fs.readSync,
  readFileSync: fs.readFileSync,
  statSync: fs.statSync,
  fstatSync: fs.fstatSync,
};
let log: FsLog | undefined;
/** "dev:ino" of files that no load may open; the hook throws instead, so a regression fails, not hangs. */
let forbidden = new Set<string>();
const fdPaths = new Map<number, string>();

function identity(stats: { dev: number; ino: number }): string {
  return `${stats.dev}:${stats.ino}`;
}

/** The identity of what `path` leads to (following links), if anything. */
function identityOf(path: string): string | undefined {
  try {
    return identity(original.statSync(path));
  } catch {
    return undefined;
  }
}

function guard(path: string): void {
  const id = identityOf(path);
  if (id !== undefined && forbidden.has(id)) {
    throw new Error(`test hook: the load opened ${path}, which leads to a file it must not read`);
  }
}

function record(op: string, target: unknown): void {
  if (!log) return;
  const path = typeof target === 'number' ? (fdPaths.get(target) ?? `fd ${target}`) : String(target);
  log.calls.push({ op, path });
}

// biome-ignore lint/suspicious/noExplicitAny: the hook wraps functions of many signatures alike.
type AnyFunction = (...args: any[]) => any;
const patched: Array<[object, string, AnyFunction]> = [];

function patch(owner: object, name: string, wrap: (fn: AnyFunction) => AnyFunction): void {
  const target = owner as Record<string, AnyFunction>;
  patched.push([owner, name, target[name]]);
  target[name] = wrap(target[name]);
}

/** Records the first argument (a path or an fd) of each call. */
const recordFirst =
  (op: string) =>
  (fn: AnyFunction): AnyFunction =>
  (...args) => {
    record(op, args[0]);
    return fn(...args);
  };

/** Records and guards a call that opens its first argument (a path) for reading. */
const opening =
  (op: string) =>
  (fn: AnyFunction): AnyFunction =>
  (...args) => {
    record(op, args[0]);
    if (log && typeof args[0] !== 'number') guard(String(args[0]));
    return fn(...args);
  };

function installHook(): void {
  patch(fs, 'openSync', () => (path: string, ...rest: unknown[]) => {
    record('openSync', path);
    if (log) guard(path);
    const fd = (original.openSync as AnyFunction)(path, ...rest) as number;
    fdPaths.set(fd, String(path));
    log?.opened.add(identity(original.fstatSync(fd)));
    return fd;
  });
  patch(fs, 'readSync', (fn) => (fd: number, ...rest: unknown[]) => {
    record('readSync', fd);
    const read = fn(fd, ...rest) as number;
    if (log) {
      const path = fdPaths.get(fd) ?? `fd ${fd}`;
      log.bytesRead.set(path, (log.bytesRead.get(path) ?? 0) + read);
    }
    return read;
  });
  patch(fs, 'closeSync', (fn) => (fd: number) => {
    fdPaths.delete(fd);
    return fn(fd);
  });
  for (const name of ['readFileSync', 'createReadStream', 'open', 'readFile', 'opendirSync', 'readdirSync']) {
    patch(fs, name, opening(name));
  }
  for (const name of ['statSync', 'lstatSync', 'existsSync', 'accessSync', 'realpathSync', 'stat', 'lstat']) {
    patch(fs, name, recordFirst(name));
  }
  for (const name of ['open', 'readFile', 'opendir', 'readdir'])
    patch(fs.promises, name, opening(`promises.${name}`));
  for (const name of ['stat', 'lstat', 'access', 'realpath'])
    patch(fs.promises, name, recordFirst(`promises.${name}`));
  syncBuiltinESMExports();
}

function removeHook(): void {
  for (const [owner, name, fn] of patched.reverse()) (owner as Record<string, AnyFunction>)[name] = fn;
  syncBuiltinESMExports();
}

beforeAll(installHook);
afterAll(removeHook);

/** Runs `load`, returning its error (or undefined), what it did to the file system, and how long it took. */
async function recorded(load: () => Promise<unknown>) {
  log = { calls: [], opened: new Set(), bytesRead: new Map() };
  const started = performance.now();
  let error: unknown;
  try {
    await load();
  } catch (e) {
    error = e;
  }
  const result = { error, ...log, ms: performance.now() - started };
  log = undefined;
  return result;
}

/** Whether `path` is `folder` or lies in it (by name; links are the hook's `opened` check). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, resolve(path));
  return !rel.startsWith('..') && !isAbsolute(rel);
}

// ---------------------------------------------------------------------------------------------------
// Fixtures.

/** Values whose bits a careless round trip would change: −0, a subnormal, the largest float32. */
const contents = (): CheckpointContents => checkpointContents(1, [-0, 1e-40, 3.4028234663852886e38, 0.1]);

beforeAll(async () => {
  await saveCheckpoint(checkpointDirectory(pristine), contents());
});

let cases = 0;

/**
 * A copy of the pristine checkpoint at `<case>/run/ckpt`, and beside it `<case>/secret` holding exact
 * copies of its manifest and weights: a load that strays there would find files that pass every check.
 */
function variant() {
  const base = join(root, `case-${cases++}`);
  const dir = join(base, 'run', 'ckpt');
  const secret = join(base, 'secret');
  cpSync(pristine, dir, { recursive: true });
  mkdirSync(secret);
  cpSync(join(pristine, 'weights.bin'), join(secret, 'weights.bin'));
  cpSync(join(pristine, 'manifest.json'), join(secret, 'manifest.json'));
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CheckpointManifest;
  const writeManifest = (m: CheckpointManifest) => writeFileSync(manifestPath, JSON.stringify(m));
  return { dir, secret, manifest, writeManifest };
}

type Variant = ReturnType<typeof variant>;

const devZero = process.platform === 'win32' ? undefined : identityOf('/dev/zero');

function forbid(v: Variant, ...more: string[]): void {
  forbidden = new Set(
    [join(v.secret, 'weights.bin'), join(v.secret, 'manifest.json'), ...more]
      .map(identityOf)
      .filter((id): id is string => id !== undefined),
  );
  if (devZero) forbidden.add(devZero);
}

/**
 * Loads the variant, expecting a CheckpointError matching `message`, quickly, with every file-system
 * call inside the folder, nothing forbidden opened, and no mention of the outside folder other than a
 * name the manifest itself gave (`echoed`). Returns the error message and the log.
 */
async function expectRefused(
  v: Variant,
  message: RegExp,
  {
    load = () => loadCheckpoint(checkpointDirectory(v.dir)),
    echoed = '',
  }: { load?: () => Promise<unknown>; echoed?: string } = {},
) {
  const result = await recorded(load);
  expect(result.error).toBeInstanceOf(CheckpointError);
  const text = (result.error as Error).message;
  expect(text).toMatch(message);
  expect(result.ms).toBeLessThan(3000);
  expect(result.calls.filter((c) => !inside(v.dir, c.path))).toEqual([]);
  for (const id of forbidden) expect(result.opened.has(id)).toBe(false);
  expect(echoed ? text.replaceAll(JSON.stringify(echoed), '') : text).not.toContain(v.secret);
  return { text, ...result };
}

const CASE_TIMEOUT_MS = 5000;
const posix = process.platform !== 'win32';

// ---------------------------------------------------------------------------------------------------

describe('loading an untrusted checkpoint', () => {
  it('positive control: a valid checkpoint loads bit-exactly, and the hook records its reads', async () => {
    const v = variant();
    forbid(v);
    const result = await recorded(() => loadCheckpoint(checkpointDirectory(v.dir)));
    expect(result.error).toBeUndefined();
    const sizes = ['manifest.json', 'weights.bin', 'optimizer.bin'].map((f) => [
      join(v.dir, f),
      statSync(join(v.dir, f)).size,
    ]);
    // Each file opened once, read exactly, and nothing else opened.
    expect(result.calls.filter((c) => c.op === 'openSync').map((c) => c.path)).toEqual(sizes.map(([p]) => p));
    expect(Object.fromEntries(result.bytesRead)).toEqual(Object.fromEntries(sizes));
    expect(result.opened.size).toBe(3);

    const loaded = await loadCheckpoint(checkpointDirectory(v.dir));
    const expected = contents();
    const bytes = (t: { values: Float32Array | Int32Array }) => Buffer.from(t.values.buffer).toString('hex');
    expect(bytes(loaded.weights.a)).toBe(bytes(expected.weights.a));
    expect(Object.is(loaded.weights.a.values[0], -0)).toBe(true);
    expect(loaded.weights.n).toEqual(expected.weights.n);
    expect(bytes(loaded.optimizer[0].tensors['momentum:a'])).toBe(
      bytes((expected.optimizer ?? [])[0].tensors['momentum:a']),
    );
  });

  it('positive control: the hook refuses to open a forbidden file', async () => {
    const v = variant();
    forbid(v);
    const result = await recorded(async () => readFileSync(join(v.secret, 'weights.bin')));
    expect((result.error as Error).message).toMatch(/test hook: the load opened .*weights\.bin/);
    expect(result.calls.map((c) => c.op)).toContain('readFileSync');
  });

  describe('binary file names that are not plain names in the folder are refused before any file access', () => {
    const names: Array<[string, string, RegExp]> = [
      ['a sibling of the folder', '../secret/weights.bin', /contains a path separator/],
      ['a name one level up', '../x', /contains a path separator/],
      ['a system file', '../../etc/passwd', /contains a path separator/],
      ['a path that climbs out after a subfolder', 'a/../../x', /contains a path separator/],
      ['a subfolder', 'sub/weights.bin', /contains a path separator/],
      ['an absolute POSIX path', '/etc/passwd', /is an absolute path/],
      ['an absolute path to the copy outside', '<secret>', /is an absolute path/],
      ['backslashes', '..\\secret\\weights.bin', /contains a path separator/],
      ['a Windows drive path', 'C:\\Windows\\win.ini', /is an absolute path/],
      ['a UNC path', '\\\\server\\share\\weights.bin', /is an absolute path/],
      ['a drive-relative name', 'C:weights.bin', /contains ":"/],
      ['"."', '.', /"\." names a directory/],
      ['".."', '..', /"\.\." names a directory/],
      [
        'a NUL character',
        'weights.bin\u0000../x',
        /"weights\.bin\\u0000\.\.\/x" contains a control character/,
      ],
      ['an empty name', '', /is empty/],
      ['a very long name', 'w'.repeat(4096), /has 4096 characters; a file name may have at most 128/],
    ];
    for (const [what, name, reason] of names) {
      it(
        `weights.file: ${what}`,
        async () => {
          const v = variant();
          forbid(v);
          const file = name === '<secret>' ? join(v.secret, 'weights.bin') : name;
          v.writeManifest({ ...v.manifest, weights: { ...v.manifest.weights, file } });
          const { text, calls } = await expectRefused(
            v,
            /manifest\.json is invalid: weights\.file: must be a plain file name in the checkpoint folder, but /,
            { echoed: file },
          );
          expect(text).toMatch(reason);
          // Only the manifest was touched.
          expect(calls.filter((c) => !c.path.endsWith('manifest.json'))).toEqual([]);
        },
        CASE_TIMEOUT_MS,
      );
    }

    it(
      'optimizer.file: /dev/zero and a path out',
      async () => {
        for (const file of ['/dev/zero', '../secret/weights.bin']) {
          const v = variant();
          forbid(v);
          v.writeManifest({ ...v.manifest, optimizer: { ...v.manifest.optimizer, file } });
          await expectRefused(v, /optimizer\.file: must be a plain file name in the checkpoint folder/);
        }
      },
      CASE_TIMEOUT_MS,
    );

    it(
      'the error is the same whether the named outside file exists or not',
      async () => {
        const messages: string[] = [];
        for (const name of ['weights.bin', 'no-such-file']) {
          const v = variant();
          forbid(v);
          v.writeManifest({ ...v.manifest, weights: { ...v.manifest.weights, file: `../secret/${name}` } });
          const { text } = await expectRefused(v, /contains a path separator/);
          messages.push(text.replace(v.dir, '<dir>').replace(name, '<name>'));
        }
        expect(messages[0]).toBe(messages[1]);
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe.skipIf(!posix)(
    'files that are not regular files of the folder are refused without reading',
    () => {
      const link =
        /is a symbolic link; a checkpoint's files must be regular files, and links are not followed/;

      it(
        'weights.bin linking to an identical file outside',
        async () => {
          const v = variant();
          forbid(v);
          rmSync(join(v.dir, 'weights.bin'));
          symlinkSync(join(v.secret, 'weights.bin'), join(v.dir, 'weights.bin'));
          await expectRefused(v, new RegExp(`weights\\.bin ${link.source}`));
        },
        CASE_TIMEOUT_MS,
      );

      it(
        'a link out says the same whether its target exists or not',
        async () => {
          const messages: string[] = [];
          for (const target of ['weights.bin', 'no-such-file']) {
            const v = variant();
            forbid(v);
            rmSync(join(v.dir, 'weights.bin'));
            symlinkSync(join(v.secret, target), join(v.dir, 'weights.bin'));
            const { text } = await expectRefused(v, link);
            messages.push(text.replace(v.dir, '<dir>'));
          }
          expect(messages[0]).toBe(messages[1]);
        },
        CASE_TIMEOUT_MS,
      );

      it(
        'weights.bin linking to a file inside the folder (links are refused altogether)',
        async () => {
          const v = variant();
          forbid(v);
          cpSync(join(v.dir, 'weights.bin'), join(v.dir, 'real.bin'));
          rmSync(join(v.dir, 'weights.bin'));
          symlinkSync('real.bin', join(v.dir, 'weights.bin'));
          await expectRefused(v, link);
        },
        CASE_TIMEOUT_MS,
      );

      it(
        'manifest.json linking to a valid manifest outside (loadCheckpoint and readManifest)',
        async () => {
          const v = variant();
          forbid(v);
          rmSync(join(v.dir, 'manifest.json'));
          symlinkSync(join(v.secret, 'manifest.json'), join(v.dir, 'manifest.json'));
          await expectRefused(v, new RegExp(`manifest\\.json ${link.source}`));
          await expectRefused(v, link, { load: () => readManifest(checkpointDirectory(v.dir)) });
        },
        CASE_TIMEOUT_MS,
      );

      it(
        'optimizer.bin linking to /dev/zero, under its own name and under another',
        async () => {
          const v = variant();
          forbid(v);
          rmSync(join(v.dir, 'optimizer.bin'));
          symlinkSync('/dev/zero', join(v.dir, 'optimizer.bin'));
          await expectRefused(v, new RegExp(`optimizer\\.bin ${link.source}`));

          const w = variant();
          forbid(w);
          symlinkSync('/dev/zero', join(w.dir, 'zero'));
          w.writeManifest({ ...w.manifest, optimizer: { ...w.manifest.optimizer, file: 'zero' } });
          await expectRefused(w, new RegExp(`zero ${link.source}`));
        },
        CASE_TIMEOUT_MS,
      );

      for (const file of ['weights.bin', 'manifest.json']) {
        it(
          `${file} replaced by a FIFO (never opened: opening would wait for a writer)`,
          async () => {
            const v = variant();
            rmSync(join(v.dir, file));
            execFileSync('mkfifo', [join(v.dir, file)]);
            forbid(v, join(v.dir, file));
            await expectRefused(v, new RegExp(`${file.replace('.', '\\.')} is a FIFO, not a regular file`));
          },
          CASE_TIMEOUT_MS,
        );

        it(
          `${file} replaced by a directory`,
          async () => {
            const v = variant();
            rmSync(join(v.dir, file));
            mkdirSync(join(v.dir, file));
            forbid(v, join(v.dir, file));
            await expectRefused(
              v,
              new RegExp(`${file.replace('.', '\\.')} is a directory, not a regular file`),
            );
          },
          CASE_TIMEOUT_MS,
        );
      }
    },
  );

  describe('sizes and tensor specs that disagree with the files are refused before reading too much', () => {
    it(
      'a byteLength beyond the 16 GiB limit',
      async () => {
        const v = variant();
        forbid(v);
        v.writeManifest({ ...v.manifest, weights: { ...v.manifest.weights, byteLength: 2 ** 40 } });
        await expectRefused(v, /weights\.byteLength: is larger than the 16 GiB a checkpoint file may have/);
      },
      CASE_TIMEOUT_MS,
    );

    it(
      'a huge byteLength within the limit: nothing of the file is read',
      async () => {
        const v = variant();
        forbid(v);
        v.writeManifest({ ...v.manifest, weights: { ...v.manifest.weights, byteLength: 16 * 1024 ** 3 } });
        const { bytesRead } = await expectRefused(v, /weights\.bin is truncated: 20 of 17179869184 bytes/);
        expect(bytesRead.get(join(v.dir, 'weights.bin'))).toBeUndefined();
      },
      CASE_TIMEOUT_MS,
    );

    it(
      'a byteLength smaller than the file: nothing of the file is read',
      async () => {
        const v = variant();
        forbid(v);
        v.writeManifest({ ...v.manifest, weights: { ...v.manifest.weights, byteLength: 8 } });
        const { bytesRead } = await expectRefused(v, /weights\.bin has 20 bytes, the manifest says 8/);
        expect(bytesRead.get(join(v.dir, 'weights.bin'))).toBeUndefined();
      },
      CASE_TIMEOUT_MS,
    );

    const specCases: Array<[string, (m: CheckpointManifest) => void, RegExp]> = [
      [
        'a shape that does not fit the byteLength',
        (m) => {
          m.weights.tensors[0].shape = [3, 2];
        },
        /"a" of shape \[3, 2\] should take 24 bytes, the manifest says 16/,
      ],
      [
        'a tensor past the end of the file',
        (m) => {
          m.weights.tensors[0].offset = 1000;
        },
        /"a" lies at bytes 1000\.\.1016, past the end of the file \(20 bytes\)/,
      ],
      [
        'an offset beyond the 16 GiB limit',
        (m) => {
          m.weights.tensors[0].offset = 2 ** 50;
        },
        /weights\.tensors\.0\.offset: is larger than the 16 GiB/,
      ],
      [
        'overlapping tensors',
        (m) => {
          m.weights.tensors[1].offset = 12;
        },
        /weights\.bin: tensors "a" \(bytes 0\.\.16\) and "n" \(bytes 12\.\.16\) overlap/,
      ],
      [
        'one range listed many times (which would multiply the memory unpacking takes)',
        (m) => {
          const [slot] = m.optimizer.players[0].tensors;
          m.optimizer.players[0].tensors = Array.from({ length: 1000 }, (_, i) => ({
            ...slot,
            name: `copy${i}`,
          }));
        },
        /optimizer\.bin: tensors "copy\d+" \(bytes 0\.\.16\) and "copy\d+" \(bytes 0\.\.16\) overlap/,
      ],
      [
        'a CRC-32 that is no 32-bit number',
        (m) => {
          m.weights.crc32 = 2 ** 40;
        },
        /weights\.crc32: Too big/,
      ],
    ];
    for (const [what, mutate, message] of specCases) {
      it(
        what,
        async () => {
          const v = variant();
          forbid(v);
          const m = structuredClone(v.manifest);
          mutate(m);
          v.writeManifest(m);
          await expectRefused(v, message);
        },
        CASE_TIMEOUT_MS,
      );
    }

    it(
      'a manifest.json over 64 MiB is not read at all',
      async () => {
        const v = variant();
        forbid(v);
        const path = join(v.dir, 'manifest.json');
        // Sparse: the size is what matters, and the disk need not hold it.
        truncateSync(path, MAX_MANIFEST_BYTES + 1);
        const { bytesRead } = await expectRefused(
          v,
          /manifest\.json has 67108865 bytes; a checkpoint manifest may have at most 67108864 \(64 MiB\)/,
        );
        expect(bytesRead.get(path)).toBeUndefined();
      },
      CASE_TIMEOUT_MS,
    );
  });

  describe('non-finite parameters', () => {
    /** Rewrites one tensor of a binary file in place and fixes the manifest's CRC, as a diverged run would. */
    function poison(v: Variant, which: 'weights' | 'optimizer', offset: number, values: number[]): void {
      const path = join(v.dir, `${which}.bin`);
      const bytes = readFileSync(path);
      Buffer.from(Float32Array.from(values).buffer).copy(bytes, offset);
      writeFileSync(path, bytes);
      v.writeManifest({ ...v.manifest, [which]: { ...v.manifest[which], crc32: crc32(bytes) } });
    }

    it('nonFiniteCount counts NaN and ±Infinity, and never an int32 value', () => {
      expect(
        nonFiniteCount(
          Float32Array.of(0, Number.NaN, Number.POSITIVE_INFINITY, -1, Number.NEGATIVE_INFINITY),
        ),
      ).toBe(3);
      expect(nonFiniteCount(Float32Array.of(-0, 3.4028234663852886e38, 1e-45))).toBe(0);
      expect(nonFiniteCount(Int32Array.of(-1, 2 ** 31 - 1))).toBe(0);
    });

    it(
      'NaN or ±Infinity in the weights fails, naming the variable and the count',
      async () => {
        const v = variant();
        forbid(v);
        poison(v, 'weights', 0, [Number.NaN, 1, Number.NEGATIVE_INFINITY]);
        await expectRefused(
          v,
          /weights\.bin holds NaN or ±Infinity in 1 variable\(s\): "a" \(2 of 4 values\)$/,
        );
      },
      CASE_TIMEOUT_MS,
    );

    it(
      'NaN in the optimizer state fails, naming the slot and its player',
      async () => {
        const v = variant();
        forbid(v);
        poison(v, 'optimizer', 4, [Number.POSITIVE_INFINITY]);
        await expectRefused(
          v,
          /optimizer\.bin holds NaN or ±Infinity in 1 optimizer state tensor\(s\): "momentum:a" of player "p" \(1 of 4 values\)$/,
        );
      },
      CASE_TIMEOUT_MS,
    );

    it('a trained model with a NaN weight can be neither loaded (eval, sample, score) nor resumed', async () => {
      const dir = join(root, 'trained');
      const train = () => new ArrayDataset('blob', gaussianData(32, [1, -2], 0.5, 7), [2]);
      const model = new ToyAutoencoder(toyAeConfigSchema.parse({ hidden: 4 }), { eventShape: [2], seed: 3 });
      await new Trainer({
        model,
        modelRef: toyRef('toy-ae'),
        train: train(),
        config: trainConfigSchema.parse({ steps: 2, batchSize: 8, seed: 4 }),
        checkpoints: checkpointDirectory(dir),
      }).run();
      model.dispose();
      const manifestPath = join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CheckpointManifest;
      const spec = manifest.weights.tensors.find((t) => t.name === 'decoder/offset');
      if (!spec) throw new Error('the toy autoencoder has no decoder/offset');
      const bytes = readFileSync(join(dir, 'weights.bin'));
      bytes.writeFloatLE(Number.NaN, spec.offset);
      writeFileSync(join(dir, 'weights.bin'), bytes);
      writeFileSync(
        manifestPath,
        JSON.stringify({ ...manifest, weights: { ...manifest.weights, crc32: crc32(bytes) } }),
      );
      const message =
        /weights\.bin holds NaN or ±Infinity in 1 variable\(s\): "decoder\/offset" \(1 of \d+ values\)/;
      await expect(loadModel(checkpointDirectory(dir), { registry: toyRegistry() })).rejects.toThrow(
        CheckpointError,
      );
      await expect(loadModel(checkpointDirectory(dir), { registry: toyRegistry() })).rejects.toThrow(message);
      await expect(
        Trainer.resume(checkpointDirectory(dir), { registry: toyRegistry(), train: train(), steps: 3 }),
      ).rejects.toThrow(message);
    });
  });
});
