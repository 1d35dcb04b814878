// A minimal ustar writer: packs a directory into a gzipped tarball with every path under `package/`, the
// layout npm expects. Used to republish the third-party packages installed in the workspace into the
// rehearsal registry without the network (the pnpm store keeps each package's files, not its tarball).
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

function octal(buf, value, offset, length) {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

function splitName(path) {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new Error(`path too long for a ustar header: ${path}`);
}

function header(path, size, mode, mtime, type) {
  const buf = Buffer.alloc(512);
  const { name, prefix } = splitName(path);
  buf.write(name, 0, 100, 'utf8');
  octal(buf, mode, 100, 8);
  octal(buf, 0, 108, 8);
  octal(buf, 0, 116, 8);
  octal(buf, size, 124, 12);
  octal(buf, mtime, 136, 12);
  buf.fill(0x20, 148, 156);
  buf.write(type, 156, 1, 'ascii');
  buf.write('ustar\0', 257, 6, 'ascii');
  buf.write('00', 263, 2, 'ascii');
  buf.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of buf) sum += byte;
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return buf;
}

/** Regular files under `dir`, relative, sorted; `node_modules` is left out unless `keepNodeModules`. */
export function listFiles(dir, { keepNodeModules = false } = {}) {
  const out = [];
  const walk = (rel) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' && !keepNodeModules) continue;
        walk(child);
      } else if (entry.isFile()) {
        out.push(child);
      }
    }
  };
  walk('');
  return out;
}

/** The gzipped tarball of `dir` (files under `package/`), as a Buffer. */
export function packDirectory(dir, options = {}) {
  const mtime = Math.floor(Date.UTC(1985, 9, 26, 8, 15) / 1000); // npm's fixed tarball date
  const chunks = [];
  for (const rel of listFiles(dir, options)) {
    const abs = join(dir, rel);
    const data = readFileSync(abs);
    const mode = lstatSync(abs).mode & 0o111 ? 0o755 : 0o644;
    chunks.push(header(`package/${rel}`, data.length, mode, mtime, '0'), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad > 0) chunks.push(Buffer.alloc(pad));
  }
  chunks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(chunks), { level: 6 });
}

/** The regular files of a gzipped tarball: Map of path (without the leading `package/`) → contents. */
export function readTarball(buffer) {
  const data = gunzipSync(buffer);
  const files = new Map();
  let longName = null;
  for (let offset = 0; offset + 512 <= data.length; ) {
    const block = data.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    const field = (start, length) =>
      block
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = data.subarray(offset + 512, offset + 512 + size);
    longName = null;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '7') files.set(name.replace(/^[^/]+\//, ''), Buffer.from(body));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
