/**
 * A checkpoint in the browser's IndexedDB: one record per checkpoint (its files as [name, bytes] pairs)
 * under `key` in the object store `genzoo-checkpoints` of the database `database`. A save puts the whole
 * record in one transaction, so it replaces the old checkpoint at once (a failed or interrupted save
 * leaves the old one), and a reader reads the record once, so it never mixes two saves.
 */
import { CheckpointError } from '../errors.js';
import {
  type CheckpointFile,
  type CheckpointReader,
  type CheckpointStorage,
  filesReader,
  MANIFEST_FILE,
} from './storage.js';

/** The object store genzoo creates in the database (other stores of the database are left alone). */
export const INDEXEDDB_STORE = 'genzoo-checkpoints';

/** The part of `IDBFactory` (`globalThis.indexedDB`) this storage uses. */
export interface IndexedDbFactory {
  open(name: string, version?: number): unknown;
}

export interface IndexedDbCheckpointStorageOptions {
  /** The IndexedDB database; created, or given the `genzoo-checkpoints` store, as needed. */
  database: string;
  /** Which checkpoint of the database, e.g. a run's name. */
  key: string;
  /** The IndexedDB to use (default: `globalThis.indexedDB`). */
  indexedDB?: IndexedDbFactory;
}

interface StoredCheckpoint {
  files: Array<[string, Uint8Array]>;
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDatabase(factory: IDBFactory, name: string, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? factory.open(name) : factory.open(name, version);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(INDEXEDDB_STORE)) db.createObjectStore(INDEXEDDB_STORE);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the database should not wait for this connection.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  });
}

/** The database with genzoo's store in it (adding the store to an existing database when it lacks it). */
async function openStore(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  const db = await openDatabase(factory, name);
  if (db.objectStoreNames.contains(INDEXEDDB_STORE)) return db;
  const version = db.version + 1;
  db.close();
  return openDatabase(factory, name, version);
}

/** Bytes that structured cloning stores as they are (a view of part of a buffer would store all of it). */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function isStoredCheckpoint(value: unknown): value is StoredCheckpoint {
  const files = (value as StoredCheckpoint | undefined)?.files;
  return (
    Array.isArray(files) &&
    files.every(
      (file) =>
        Array.isArray(file) &&
        typeof file[0] === 'string' &&
        file[1] instanceof Uint8Array &&
        file.length === 2,
    )
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A checkpoint storage in IndexedDB (browsers and their workers). */
export function indexedDbCheckpointStorage(options: IndexedDbCheckpointStorageOptions): CheckpointStorage {
  const { database, key } = options;
  const location = `indexeddb:${database}/${key}`;

  async function withStore<T>(
    action: string,
    mode: IDBTransactionMode,
    run: (store: IDBObjectStore) => Promise<T>,
  ): Promise<T> {
    const factory = (options.indexedDB ?? (globalThis as { indexedDB?: unknown }).indexedDB) as
      | IDBFactory
      | undefined;
    if (!factory) {
      throw new CheckpointError(
        `cannot ${action} ${location}: IndexedDB is not available here (browsers and their workers have it); ` +
          'in Node, store checkpoints with checkpointDirectory of @genzoo/core/node',
      );
    }
    let db: IDBDatabase | undefined;
    try {
      db = await openStore(factory, database);
      const transaction = db.transaction(INDEXEDDB_STORE, mode);
      const done = new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'));
      });
      // Both settle: a failing request also fails the transaction, and `done` must not go unobserved.
      const [result] = await Promise.all([run(transaction.objectStore(INDEXEDDB_STORE)), done]);
      return result;
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
      throw new CheckpointError(`cannot ${action} ${location}: ${message(error)}`, { cause: error });
    } finally {
      db?.close();
    }
  }

  return {
    location,
    async open(): Promise<CheckpointReader | undefined> {
      const stored = await withStore('read', 'readonly', (store) => settle(store.get(key)));
      if (stored === undefined) return undefined;
      if (!isStoredCheckpoint(stored)) {
        throw new CheckpointError(`${location} is not a genzoo checkpoint (its record has no file list)`);
      }
      const files = new Map(stored.files);
      if (!files.has(MANIFEST_FILE)) return undefined;
      return filesReader(location, files);
    },
    async write(files: readonly CheckpointFile[]): Promise<void> {
      const record: StoredCheckpoint = { files: files.map(([name, bytes]) => [name, ownBytes(bytes)]) };
      await withStore('write', 'readwrite', (store) => settle(store.put(record, key)).then(() => undefined));
    },
  };
}
