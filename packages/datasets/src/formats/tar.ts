/**
 * Reads regular files out of a POSIX (ustar) tar archive held in memory, enough for the CIFAR-10 archive:
 * 512-byte headers (name at 0, octal size at 124, type flag at 156, ustar name prefix at 345), each file's
 * data padded to a multiple of 512 bytes, and two zero blocks at the end.
 */
import { DataError } from '@genzoo/core';

const BLOCK = 512;

function readString(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end === -1 ? field : field.subarray(0, end));
}

/** The contents of the archive's regular files whose base name is in `wanted`, by base name. */
export function extractTarMembers(
  archive: Uint8Array,
  wanted: readonly string[],
  file: string,
): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset < archive.length) {
    if (offset + BLOCK > archive.length) {
      throw new DataError(
        `${file}: truncated: a partial ${archive.length - offset}-byte header at byte ${offset}`,
      );
    }
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = readString(header, 0, 100);
    const prefix = readString(header, 345, 155);
    const sizeField = readString(header, 124, 12).trim();
    const size = Number.parseInt(sizeField, 8);
    if (!/^[0-7]+$/.test(sizeField) || !Number.isFinite(size)) {
      throw new DataError(`${file}: corrupt tar header at byte ${offset} (size field "${sizeField}")`);
    }
    const type = String.fromCharCode(header[156]);
    const start = offset + BLOCK;
    if (start + size > archive.length) {
      throw new DataError(
        `${file}: truncated: "${name}" needs ${size} bytes at byte ${start}, the archive ends at ${archive.length}`,
      );
    }
    const path = prefix ? `${prefix}/${name}` : name;
    const base = path.slice(path.lastIndexOf('/') + 1);
    if ((type === '0' || type === '\0') && wanted.includes(base)) {
      found.set(base, archive.slice(start, start + size));
    }
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  const missing = wanted.filter((w) => !found.has(w));
  if (missing.length > 0) throw new DataError(`${file}: the archive lacks ${missing.join(', ')}`);
  return found;
}
