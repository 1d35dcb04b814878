/**
 * Finding a dataset's files. Places are tried in order: the explicit `path` option (then the only place
 * looked at), `$GENZOO_DATA_DIR/<name>`, the folders system packages install into (Debian's
 * `dataset-fashion-mnist` puts Fashion-MNIST in /usr/share/datasets/fashion-mnist), and the download cache
 * (`$GENZOO_CACHE_DIR/<name>`, default `~/.cache/genzoo/datasets/<name>`). When nothing is found the
 * error lists every place and what was wrong there, and how to get the files.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SourceSpec } from './catalog.js';

export interface LocateOptions {
  /** A folder holding the files; when given, no other place is searched. */
  path?: string;
  /** Never download (also GENZOO_OFFLINE=1). */
  offline?: boolean;
  /** Root of the download cache (also GENZOO_CACHE_DIR); the files go in `<cacheDir>/<name>`. */
  cacheDir?: string;
  /** Environment to read GENZOO_* from; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the spec's system folders (tests use this to ignore what the machine has installed). */
  systemDirs?: readonly string[];
}

export interface Located {
  /** Folder the files were found in. */
  dir: string;
  /** Which kind of place: `path option`, `GENZOO_DATA_DIR`, `system folder` or `cache`. */
  origin: string;
  /** Actual path of each required file, by required name. */
  files: Record<string, string>;
}

export interface LookedAt {
  place: string;
  origin: string;
  problem: string;
}

export interface SearchResult {
  located?: Located;
  looked: LookedAt[];
}

function envOf(options: LocateOptions): Readonly<Record<string, string | undefined>> {
  return options.env ?? process.env;
}

/** The cache root: option, GENZOO_CACHE_DIR, else $XDG_CACHE_HOME/genzoo/datasets or ~/.cache/genzoo/datasets. */
export function cacheRoot(options: LocateOptions): string {
  const env = envOf(options);
  if (options.cacheDir) return options.cacheDir;
  if (env.GENZOO_CACHE_DIR) return env.GENZOO_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'genzoo', 'datasets');
}

export function isOffline(options: LocateOptions): boolean {
  if (options.offline !== undefined) return options.offline;
  const value = envOf(options).GENZOO_OFFLINE?.toLowerCase();
  return value === '1' || value === 'true' || value === 'yes';
}

/** Each required file's path in `dir` (raw or gzipped), or the names that are missing. */
function filesIn(spec: SourceSpec, dir: string): { files: Record<string, string>; missing: string[] } {
  const files: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of spec.files) {
    const variants = spec.gzipVariants ? [name, `${name}.gz`] : [name];
    const hit = variants.map((v) => join(dir, v)).find((p) => existsSync(p) && statSync(p).isFile());
    if (hit) files[name] = hit;
    else missing.push(spec.gzipVariants ? `${name}[.gz]` : name);
  }
  return { files, missing };
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Looks in every place, in order, and returns the first folder that has all the files. */
export function findSource(spec: SourceSpec, options: LocateOptions = {}): SearchResult {
  const env = envOf(options);
  const places: Array<{ dir: string; origin: string }> = [];
  const looked: LookedAt[] = [];
  if (options.path) {
    places.push({ dir: options.path, origin: 'path option' });
  } else {
    if (env.GENZOO_DATA_DIR)
      places.push({ dir: join(env.GENZOO_DATA_DIR, spec.id), origin: 'GENZOO_DATA_DIR' });
    else looked.push({ place: `$GENZOO_DATA_DIR/${spec.id}`, origin: 'GENZOO_DATA_DIR', problem: 'not set' });
    for (const dir of options.systemDirs ?? spec.systemDirs) places.push({ dir, origin: 'system folder' });
    places.push({ dir: join(cacheRoot(options), spec.id), origin: 'cache' });
  }
  for (const { dir, origin } of places) {
    if (!isDir(dir)) {
      looked.push({ place: dir, origin, problem: 'no such folder' });
      continue;
    }
    let fewestMissing: string[] | undefined;
    for (const sub of spec.subfolders) {
      const candidate = sub ? join(dir, sub) : dir;
      if (!isDir(candidate)) continue;
      const { files, missing } = filesIn(spec, candidate);
      if (missing.length === 0) return { located: { dir: candidate, origin, files }, looked };
      if (!fewestMissing || missing.length < fewestMissing.length) fewestMissing = missing;
    }
    looked.push({ place: dir, origin, problem: `missing ${(fewestMissing ?? []).join(', ')}` });
  }
  return { looked };
}

/** Ways to get the files, one per line. */
export function howToGet(spec: SourceSpec, options: LocateOptions = {}): string[] {
  const ways: string[] = [];
  const systemDir = (options.systemDirs ?? spec.systemDirs)[0];
  if (spec.systemPackage)
    ways.push(`install the system package: sudo apt install ${spec.systemPackage} (files in ${systemDir})`);
  ways.push(
    `put ${spec.files.join(', ')}${spec.gzipVariants ? ' (raw or .gz)' : ''} in $GENZOO_DATA_DIR/${spec.id}, ` +
      `or pass their folder as the "path" option`,
  );
  const urls =
    spec.download.kind === 'files' ? spec.download.files.map((f) => f.url) : [spec.download.archive.url];
  ways.push(
    `let genzoo download them (online, without offline / GENZOO_OFFLINE=1) from ${urls.join(', ')} ` +
      `into ${join(cacheRoot(options), spec.id)} (see ${spec.homepage})`,
  );
  return ways;
}

/** The not-found message: every place looked at, what was wrong there, and how to get the files. */
export function notFoundMessage(
  spec: SourceSpec,
  result: SearchResult,
  reason: string,
  options: LocateOptions,
): string {
  const looked = result.looked.map((l) => `  - ${l.place} (${l.origin}): ${l.problem}`);
  const ways = howToGet(spec, options).map((w) => `  - ${w}`);
  return [
    `${spec.id}: data files not found (${reason}). Looked in:`,
    ...looked,
    'To get them:',
    ...ways,
  ].join('\n');
}
