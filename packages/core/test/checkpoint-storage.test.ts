/**
 * Checkpoint storages other than a folder: memory (a browser app's downloads, or files a user picked) and
 * IndexedDB (against a small in-test stand-in for the browser's; the browser test runs the real one).
 * The format and every check are the same as for folders; a failed save leaves the previous checkpoint.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INDEXEDDB_STORE,
  type IndexedDbFactory,
  indexedDbCheckpointStorage,
} from '../src/checkpoint/indexeddb.js';
import { loadCheckpoint, loadModel, readManifest } from '../src/checkpoint/load.js';
import { memoryCheckpointStorage } from '../src/checkpoint/memory.js';
import { encodeCheckpoint, saveCheckpoint } from '../src/checkpoint/save.js';
import type { CheckpointFile, CheckpointStorage } from '../src/checkpoint/storage.js';
import { CheckpointError } from '../src/errors.js';
import { checkpointDirectory } from '../src/node/checkpoint-directory.js';
import { trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  checkpointContents,
  gaussianData,
  snapshotVariables,
  ToyAutoencoder,
  toyAeConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-storage-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 52 examples in batches of 8: the resume point lands mid-epoch.
const data = () => new ArrayDataset('blob', gaussianData(52, [1, -2], 0.5, 7), [2], 0.05);
const config = (steps: number) =>
  trainConfigSchema.parse({
    steps,
    batchSize: 8,
    seed: 11,
    logEvery: 3,
    optimizer: { name: 'adam', learningRate: 0.01 },
    schedule: { kind: 'cosine', totalSteps: 10, minFactor: 0.1 },
  });

/** Trains the toy autoencoder `steps` steps, checkpointing into `checkpoints`; returns it and its losses. */
async function train(steps: number, checkpoints?: CheckpointStorage) {
  const model = new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed: 3 });
  const losses = new Map<number, Record<string, number>>();
  await new Trainer({
    model,
    modelRef: toyRef('toy-ae'),
    train: data(),
    config: config(steps),
    checkpoints,
    callbacks: [{ onStepEnd: (step, metrics) => void losses.set(step, metrics) }],
  }).run();
  return { model, losses };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('memory checkpoint storage', () => {
  it('round-trips a trained model: the same files as a folder, the same weights and optimizer state', async () => {
    const memory = memoryCheckpointStorage();
    expect(memory.files).toBeUndefined();
    expect(await memory.open()).toBeUndefined();
    const { model } = await train(4, memory);
    const files = memory.files;
    if (!files) throw new Error('the Trainer wrote no checkpoint');
    expect([...files.keys()]).toEqual(['weights.bin', 'optimizer.bin', 'manifest.json']);

    const { model: loaded, manifest } = await loadModel(memory, { registry: toyRegistry() });
    expect(snapshotVariables(loaded)).toEqual(snapshotVariables(model));
    expect(manifest.state.step).toBe(4);
    loaded.dispose();

    // The same checkpoint in a folder holds byte-identical tensor files.
    const dir = join(root, 'as-folder');
    const inMemory = await loadCheckpoint(memory);
    expect(inMemory.location).toBe('memory');
    await saveCheckpoint(checkpointDirectory(dir), {
      model: inMemory.manifest.model,
      train: inMemory.manifest.train,
      state: inMemory.manifest.state,
      run: inMemory.manifest.run,
      weights: inMemory.weights,
      optimizer: inMemory.optimizer,
    });
    for (const name of ['weights.bin', 'optimizer.bin']) {
      expect(sameBytes(readFileSync(join(dir, name)), files.get(name) as Uint8Array)).toBe(true);
    }
    const fromFolder = await loadCheckpoint(checkpointDirectory(dir));
    expect(fromFolder.optimizer).toEqual(inMemory.optimizer);
    expect(fromFolder.weights).toEqual(inMemory.weights);
    model.dispose();
  });

  it('resumes exactly: a run continued from memory equals an uninterrupted one', async () => {
    const full = await train(10);
    const memory = memoryCheckpointStorage();
    (await train(6, memory)).model.dispose();
    const losses = new Map<number, Record<string, number>>();
    const checkpoints: Array<[number, string]> = [];
    const resumed = await Trainer.resume(memory, {
      registry: toyRegistry(),
      train: data(),
      steps: 10,
      callbacks: [
        {
          onStepEnd: (step, metrics) => void losses.set(step, metrics),
          onCheckpoint: (step, location) => void checkpoints.push([step, location]),
        },
      ],
    });
    expect(resumed.currentStep).toBe(6);
    await resumed.run();
    for (let step = 7; step <= 10; step++) expect(losses.get(step)).toEqual(full.losses.get(step));
    expect(snapshotVariables(resumed.model)).toEqual(snapshotVariables(full.model));
    // It keeps checkpointing into the storage it resumed from.
    expect(checkpoints).toEqual([[10, 'memory']]);
    expect((await readManifest(memory)).state.step).toBe(10);
    full.model.dispose();
    resumed.model.dispose();
  });

  it('loads files a user picked (name → bytes), and names them in errors', async () => {
    const dir = join(root, 'picked');
    (await train(2, checkpointDirectory(dir))).model.dispose();
    const picked = Object.fromEntries(
      readdirSync(dir).map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]),
    );
    const { model } = await loadModel(memoryCheckpointStorage({ files: picked, location: 'upload' }), {
      registry: toyRegistry(),
    });
    model.dispose();

    const { 'weights.bin': _, ...noWeights } = picked;
    await expect(loadCheckpoint(memoryCheckpointStorage({ files: noWeights }))).rejects.toThrow(
      'checkpoint file memory/weights.bin is missing',
    );
    const corrupt = new Uint8Array(picked['optimizer.bin']);
    corrupt[0] ^= 0xff;
    await expect(
      loadCheckpoint(memoryCheckpointStorage({ files: { ...picked, 'optimizer.bin': corrupt } })),
    ).rejects.toThrow('memory/optimizer.bin is corrupt: its CRC-32 does not match the manifest');
    await expect(
      loadCheckpoint(
        memoryCheckpointStorage({ files: { ...picked, 'weights.bin': picked['weights.bin'].subarray(4) } }),
      ),
    ).rejects.toThrow(/memory\/weights\.bin is truncated/);
    // Without a manifest there is no checkpoint.
    await expect(loadCheckpoint(memoryCheckpointStorage({ files: {} }))).rejects.toThrow(
      'no checkpoint at memory',
    );
  });
});

/** A storage whose writes fail from the `failFrom`-th on, as a full disk or quota would. */
function failingAfter(inner: CheckpointStorage, failFrom: number): CheckpointStorage {
  let writes = 0;
  return {
    location: inner.location,
    open: () => inner.open(),
    async write(files) {
      writes++;
      if (writes >= failFrom) throw new Error('no space left');
      await inner.write(files);
    },
  };
}

describe('a save that fails', () => {
  it('fails the run and leaves the previous checkpoint readable', async () => {
    const memory = memoryCheckpointStorage();
    const errors: unknown[] = [];
    const model = new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed: 3 });
    const trainer = new Trainer({
      model,
      modelRef: toyRef('toy-ae'),
      train: data(),
      config: trainConfigSchema.parse({ steps: 6, batchSize: 8, checkpointEvery: 2, checkpointSeconds: 0 }),
      checkpoints: failingAfter(memory, 2),
      callbacks: [{ onTrainError: (error) => void errors.push(error) }],
    });
    await expect(trainer.run()).rejects.toThrow('no space left');
    expect(errors).toHaveLength(1);
    const { manifest } = await loadModel(memory, { registry: toyRegistry() }).then((loaded) => {
      loaded.model.dispose();
      return loaded;
    });
    expect(manifest.state.step).toBe(2);
    model.dispose();
  });

  it('of a folder leaves the previous checkpoint readable', async () => {
    const dir = join(root, 'failing-folder');
    const storage = checkpointDirectory(dir);
    await saveCheckpoint(storage, checkpointContents(1));
    const { files } = encodeCheckpoint(checkpointContents(2));
    // A name that cannot be a file in the folder fails the write before anything is replaced.
    await expect(storage.write([['../escape.bin', new Uint8Array(4)], ...files])).rejects.toThrow(
      CheckpointError,
    );
    expect((await readManifest(storage)).state.step).toBe(1);
    expect(readdirSync(root).filter((name) => name.startsWith('failing-folder.'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// A stand-in for the browser's IndexedDB: databases with versions and object stores, requests that
// complete asynchronously, and transactions that apply their writes when they commit (or not at all).

interface FakeDatabase {
  version: number;
  stores: Map<string, Map<string, unknown>>;
}

type Handler = (() => void) | null;

function fakeIndexedDb(options: { failPuts?: () => boolean } = {}) {
  const databases = new Map<string, FakeDatabase>();
  const later = (run: () => void) => setTimeout(run, 0);

  function connection(db: FakeDatabase) {
    return {
      get version() {
        return db.version;
      },
      objectStoreNames: { contains: (name: string) => db.stores.has(name) },
      onversionchange: null as Handler,
      createObjectStore(name: string) {
        db.stores.set(name, new Map());
      },
      close() {},
      transaction(name: string, _mode: string) {
        const found = db.stores.get(name);
        if (!found) throw new DOMException(`no object store ${name}`, 'NotFoundError');
        const store = found;
        const pending = new Map<string, unknown>();
        const transaction = {
          error: null as DOMException | null,
          oncomplete: null as Handler,
          onerror: null as Handler,
          onabort: null as Handler,
          objectStore: () => ({
            get(key: string) {
              const request = {
                result: undefined as unknown,
                error: null,
                onsuccess: null as Handler,
                onerror: null,
              };
              later(() => {
                request.result = structuredClone(store.get(key));
                request.onsuccess?.();
                later(commit);
              });
              return request;
            },
            put(value: unknown, key: string) {
              const request = {
                result: undefined as unknown,
                error: null as DOMException | null,
                onsuccess: null as Handler,
                onerror: null as Handler,
              };
              later(() => {
                if (options.failPuts?.()) {
                  request.error = new DOMException('the quota has been exceeded', 'QuotaExceededError');
                  transaction.error = request.error;
                  request.onerror?.();
                  transaction.onerror?.();
                  transaction.onabort?.();
                  return;
                }
                pending.set(key, structuredClone(value));
                request.result = key;
                request.onsuccess?.();
                later(commit);
              });
              return request;
            },
          }),
        };
        function commit() {
          for (const [key, value] of pending) store.set(key, value);
          transaction.oncomplete?.();
        }
        return transaction;
      },
    };
  }

  const factory: IndexedDbFactory = {
    open(name: string, version?: number) {
      const request = {
        result: undefined as unknown,
        error: null,
        onsuccess: null as Handler,
        onerror: null as Handler,
        onupgradeneeded: null as Handler,
      };
      later(() => {
        let db = databases.get(name);
        let upgrade = false;
        if (!db) {
          db = { version: version ?? 1, stores: new Map() };
          databases.set(name, db);
          upgrade = true;
        } else if (version !== undefined && version > db.version) {
          db.version = version;
          upgrade = true;
        }
        request.result = connection(db);
        if (upgrade) request.onupgradeneeded?.();
        request.onsuccess?.();
      });
      return request;
    },
  };
  return { factory, databases };
}

describe('IndexedDB checkpoint storage', () => {
  it('round-trips a checkpoint, replaces it with the next save, and keeps the old one when a save fails', async () => {
    let failing = false;
    const { factory, databases } = fakeIndexedDb({ failPuts: () => failing });
    // A database the app already has, without genzoo's store: the store is added beside its own.
    databases.set('app', { version: 3, stores: new Map([['settings', new Map()]]) });
    const storage = indexedDbCheckpointStorage({ database: 'app', key: 'run-1', indexedDB: factory });
    expect(storage.location).toBe('indexeddb:app/run-1');
    expect(await storage.open()).toBeUndefined();

    const memory = memoryCheckpointStorage();
    const { model } = await train(3, memory);
    await storage.write([...(memory.files ?? [])] as CheckpointFile[]);
    const db = databases.get('app');
    expect(db?.version).toBe(4);
    expect([...(db?.stores.keys() ?? [])]).toEqual(['settings', INDEXEDDB_STORE]);
    const { model: loaded, manifest } = await loadModel(storage, { registry: toyRegistry() });
    expect(snapshotVariables(loaded)).toEqual(snapshotVariables(model));
    expect(manifest.state.step).toBe(3);
    loaded.dispose();
    model.dispose();

    await saveCheckpoint(storage, checkpointContents(7));
    expect((await readManifest(storage)).state.step).toBe(7);

    failing = true;
    await expect(saveCheckpoint(storage, checkpointContents(8))).rejects.toThrow(
      'cannot write indexeddb:app/run-1: the quota has been exceeded',
    );
    failing = false;
    const kept = await loadCheckpoint(storage);
    expect(kept.manifest.state.step).toBe(7);
    expect(kept.location).toBe('indexeddb:app/run-1');

    // Another key of the same database holds nothing yet.
    const other = indexedDbCheckpointStorage({ database: 'app', key: 'run-2', indexedDB: factory });
    await expect(loadCheckpoint(other)).rejects.toThrow('no checkpoint at indexeddb:app/run-2');
  });

  it('a Trainer checkpoints into IndexedDB and resumes from it', async () => {
    const { factory } = fakeIndexedDb();
    const storage = indexedDbCheckpointStorage({ database: 'genzoo', key: 'toy', indexedDB: factory });
    const full = await train(10);
    (await train(5, storage)).model.dispose();
    const resumed = await Trainer.resume(storage, { registry: toyRegistry(), train: data(), steps: 10 });
    await resumed.run();
    expect(snapshotVariables(resumed.model)).toEqual(snapshotVariables(full.model));
    expect((await readManifest(storage)).state.step).toBe(10);
    resumed.model.dispose();
    full.model.dispose();
  });

  it('says so where there is no IndexedDB', async () => {
    expect((globalThis as { indexedDB?: unknown }).indexedDB).toBeUndefined();
    const storage = indexedDbCheckpointStorage({ database: 'genzoo', key: 'toy' });
    await expect(storage.open()).rejects.toThrow(
      /cannot read indexeddb:genzoo\/toy: IndexedDB is not available here .*checkpointDirectory of @genzoo\/core\/node/,
    );
    await expect(saveCheckpoint(storage, checkpointContents(1))).rejects.toThrow(CheckpointError);
  });
});

it('tensors written to memory are copied, not aliased: later training does not change a saved checkpoint', async () => {
  const memory = memoryCheckpointStorage();
  const { model } = await train(2, memory);
  const before = Buffer.from(memory.files?.get('weights.bin') ?? new Uint8Array()).toString('hex');
  tf.tidy(() => {
    for (const variable of Object.values(model.variables())) variable.assign(tf.zerosLike(variable));
  });
  expect(Buffer.from(memory.files?.get('weights.bin') ?? new Uint8Array()).toString('hex')).toBe(before);
  model.dispose();
});
