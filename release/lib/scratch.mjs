// A scratch copy of what changesets reads (root manifest, workspace file, .changeset/, every workspace
// package's package.json and CHANGELOG.md), so `changeset version` can be rehearsed without touching the
// repository. node_modules is linked so the changelog generator resolves.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Folders the pnpm workspace file lists (`dir/*` globs expanded one level). */
export function workspaceFolders(root) {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = text.match(/^packages:\s*\n((?:[ \t]+-[^\n]*\n?)+)/m);
  if (!block) return [];
  const globs = [...block[1].matchAll(/-\s*['"]?([^'"\n]+?)['"]?\s*$/gm)].map((m) => m[1]);
  return globs.flatMap((glob) => {
    if (glob.startsWith('!')) return [];
    if (!glob.endsWith('/*')) return existsSync(join(root, glob, 'package.json')) ? [glob] : [];
    const parent = glob.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  });
}

export function changesetsScratchCopy(root, scratch) {
  mkdirSync(scratch, { recursive: true });
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(scratch, file));
  cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  for (const folder of workspaceFolders(root)) {
    mkdirSync(join(scratch, folder), { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md']) {
      if (existsSync(join(root, folder, file))) cpSync(join(root, folder, file), join(scratch, folder, file));
    }
  }
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  return scratch;
}
