// README code blocks marked for the release rehearsal: a fenced block whose info string carries the word
// `rehearsal-esm` or `rehearsal-cjs` (```js rehearsal-esm). Markdown renderers use the first word for
// highlighting and ignore the rest, so the README shows ordinary JavaScript and the rehearsal runs exactly
// that code.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const FENCE = /^(`{3,}|~{3,})[ \t]*([^\n]*)\n([\s\S]*?)^\1[ \t]*$/gm;

/** [{ kind: 'esm' | 'cjs', code, source }] of one Markdown text. */
export function rehearsalBlocks(markdown, source = '') {
  const out = [];
  for (const match of markdown.matchAll(FENCE)) {
    const words = match[2].trim().split(/\s+/);
    for (const kind of ['esm', 'cjs']) {
      if (words.includes(`rehearsal-${kind}`)) out.push({ kind, code: match[3], source });
    }
  }
  return out;
}

/** The marked blocks of the root README and of every packages/<folder>/README.md. */
export function collectRehearsalBlocks(root, packages) {
  const files = [join(root, 'README.md'), ...packages.map((pkg) => join(pkg.dir, 'README.md'))];
  return files
    .filter((file) => existsSync(file))
    .flatMap((file) => rehearsalBlocks(readFileSync(file, 'utf8'), relative(root, file)));
}

/** Bare package names a block imports or requires (`@scope/name/sub` → `@scope/name`), sorted. */
export function importedPackages(code) {
  const names = new Set();
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(?\s*['"]([^'"]+)['"]/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const [, spec] of code.matchAll(pattern)) {
      if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) continue;
      if (builtinModules.includes(spec.split('/')[0])) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return [...names].sort();
}
