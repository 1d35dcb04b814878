// Workspace packages, found by reading packages/*/package.json (never a fixed list), and the third-party
// packages they need, found in the workspace's node_modules the way Node resolves them.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Every package under packages/: { name, version, private, dir, manifest }, sorted by folder. */
export function workspacePackages(root) {
  const base = join(root, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(base, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort()
    .map((folder) => {
      const dir = join(base, folder);
      const manifest = readJson(join(dir, 'package.json'));
      return {
        folder,
        dir,
        manifest,
        name: manifest.name,
        version: manifest.version,
        private: !!manifest.private,
      };
    });
}

/** The folder of package `name` as Node would find it from `fromDir` (walking up node_modules), or null. */
export function findInstalled(fromDir, name) {
  let dir = realpathSync(fromDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** A package's edges: [name, range, optional] for dependencies, optionalDependencies and peers. */
export function edges(manifest) {
  const out = [];
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) out.push([name, range, false]);
  for (const [name, range] of Object.entries(manifest.optionalDependencies ?? {}))
    out.push([name, range, true]);
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    out.push([name, range, !!manifest.peerDependenciesMeta?.[name]?.optional]);
  }
  return out;
}

/**
 * The third-party closure of the given workspace packages: every package (name@version → folder) reachable
 * through dependencies, optional dependencies and peers, as installed in the workspace. Workspace packages
 * are left out (they are packed). Optional edges that are not installed here (native tfjs backends,
 * other platforms' binaries) are reported in `skipped`; a missing required edge is an error.
 */
export function thirdPartyClosure(roots, workspaceNames) {
  const found = new Map();
  const skipped = new Set();
  const missing = [];
  const queue = roots.map((pkg) => pkg.dir);
  const seenDirs = new Set();
  while (queue.length > 0) {
    const dir = queue.shift();
    if (seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    const manifest = readJson(join(dir, 'package.json'));
    for (const [name, , optional] of edges(manifest)) {
      if (workspaceNames.has(name)) continue;
      const target = findInstalled(dir, name);
      if (target === null) {
        if (optional) skipped.add(name);
        else missing.push(`${name} (needed by ${manifest.name})`);
        continue;
      }
      const dep = readJson(join(target, 'package.json'));
      const key = `${dep.name}@${dep.version}`;
      if (!found.has(key))
        found.set(key, { name: dep.name, version: dep.version, dir: target, manifest: dep });
      queue.push(target);
    }
  }
  for (const name of skipped) if ([...found.values()].some((p) => p.name === name)) skipped.delete(name);
  return { packages: [...found.values()], skipped: [...skipped].sort(), missing };
}

/** Numeric comparison of x.y.z versions (pre-release tags sort before the release). */
export function compareVersions(a, b) {
  const parse = (v) => {
    const [core, pre] = v.split('-', 2);
    return { nums: core.split('.').map(Number), pre };
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i] - pb.nums[i];
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}
