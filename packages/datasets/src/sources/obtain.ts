/**
 * Locate a dataset's files, downloading them into the cache when they are nowhere to be found and
 * downloads are allowed.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@genzoo/core';
import { writeFileAtomic } from '@genzoo/core/node';
import { maybeGunzip } from '../formats/gunzip-node.js';
import { extractTarMembers } from '../formats/tar.js';
import type { SourceSpec } from './catalog.js';
import { type DownloadOptions, downloadVerified } from './download.js';
import {
  cacheRoot,
  findSource,
  isOffline,
  type Located,
  type LocateOptions,
  notFoundMessage,
} from './locate.js';

export type SourceOptions = LocateOptions & DownloadOptions;

async function downloadInto(spec: SourceSpec, dir: string, options: SourceOptions): Promise<void> {
  const { download } = spec;
  if (download.kind === 'files') {
    for (const remote of download.files) {
      const dest = join(dir, remote.file);
      // Files from an earlier, partly completed download were verified before they were renamed into place.
      if (!existsSync(dest)) await downloadVerified(remote, dest, options);
    }
    return;
  }
  const archivePath = join(dir, download.archive.file);
  await downloadVerified(download.archive, archivePath, options);
  const archive = maybeGunzip(new Uint8Array(await readFile(archivePath)), archivePath);
  const members = extractTarMembers(archive, download.members, archivePath);
  // Renamed into place whole, so a reader never sees a partly written member.
  for (const [name, bytes] of members) writeFileAtomic(join(dir, name), bytes);
  // The extracted files are what later runs read; the archive would only double the disk use.
  await rm(archivePath, { force: true });
}

/** The dataset's files: found in one of the places, or downloaded into the cache. */
export async function obtainSource(spec: SourceSpec, options: SourceOptions = {}): Promise<Located> {
  const search = findSource(spec, options);
  if (search.located) return search.located;
  if (options.path) {
    throw new DataError(notFoundMessage(spec, search, 'the folder given as "path" lacks them', options));
  }
  if (isOffline(options)) {
    const why = options.offline ? 'offline option set' : 'GENZOO_OFFLINE is set';
    throw new DataError(notFoundMessage(spec, search, `downloads are off: ${why}`, options));
  }
  const dir = join(cacheRoot(options), spec.id);
  try {
    await downloadInto(spec, dir, options);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new DataError(
      `${error.message}\n${notFoundMessage(spec, search, 'the download failed', options)}`,
      {
        cause: error,
      },
    );
  }
  const after = findSource(spec, { ...options, path: dir });
  if (!after.located)
    throw new DataError(notFoundMessage(spec, after, 'the download did not produce them', options));
  return { ...after.located, origin: 'cache' };
}
