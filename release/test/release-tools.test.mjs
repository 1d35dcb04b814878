// Unit tests of the release tooling (node --test release/test/): no network, no registry.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { compareVersions, thirdPartyClosure, workspacePackages } from '../lib/packages.mjs';
import { importedPackages, rehearsalBlocks } from '../lib/readme-blocks.mjs';
import { workspaceFolders } from '../lib/scratch.mjs';
import { packDirectory, readTarball } from '../lib/tar.mjs';

const root = resolve(import.meta.dirname, '..', '..');

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'genzoo-release-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof text === 'string' ? text : JSON.stringify(text));
  }
  return dir;
}

test('packDirectory writes a tarball under package/ that reads back, long paths included', () => {
  const long = `${'deep/'.repeat(30)}file.js`;
  const dir = tree({
    'package.json': { name: 'x', version: '1.0.0' },
    'lib/a.js': 'a',
    [long]: 'b',
    'node_modules/y/i.js': '',
  });
  const tarball = packDirectory(dir);
  const files = readTarball(tarball);
  assert.deepEqual([...files.keys()].sort(), [long, 'lib/a.js', 'package.json'].sort());
  assert.equal(files.get(long).toString(), 'b');
  const out = join(dir, 'x.tgz');
  writeFileSync(out, tarball);
  const listed = spawnSync('tar', ['-tzf', out], { encoding: 'utf8' });
  if (listed.status === 0) assert.ok(listed.stdout.includes(`package/${long}`), listed.stdout);
});

test('rehearsal blocks: only fences marked rehearsal-esm / rehearsal-cjs, with the imports they need', () => {
  const md = [
    '```ts',
    "import { a } from '@genzoo/core';",
    '```',
    '```js rehearsal-esm',
    "import { b } from '@genzoo/backends';",
    "import { c } from '@genzoo/datasets/node';",
    "import fs from 'node:fs';",
    "import path from 'path';",
    "import x from './local.js';",
    '```',
    '~~~js rehearsal-cjs',
    "const { d } = require('@genzoo/vae');",
    "const z = require('zod');",
    '~~~',
  ].join('\n');
  const blocks = rehearsalBlocks(md, 'README.md');
  assert.deepEqual(
    blocks.map((b) => b.kind),
    ['esm', 'cjs'],
  );
  assert.deepEqual(importedPackages(blocks[0].code), ['@genzoo/backends', '@genzoo/datasets']);
  assert.deepEqual(importedPackages(blocks[1].code), ['@genzoo/vae', 'zod']);
});

test('the vae README carries the ESM and CJS rehearsal examples', () => {
  const vae = workspacePackages(root).find((pkg) => pkg.name === '@genzoo/vae');
  assert.ok(vae && !vae.private);
  const kinds = rehearsalBlocks(readFileSync(join(vae.dir, 'README.md'), 'utf8')).map((b) => b.kind);
  assert.ok(kinds.includes('esm') && kinds.includes('cjs'), kinds.join());
});

test('third-party closure follows dependencies and peers through node_modules, skips missing optional ones', () => {
  const dir = tree({
    'packages/a/package.json': {
      name: '@w/a',
      version: '1.0.0',
      dependencies: { '@w/b': 'workspace:^', dep: '^1.0.0' },
      peerDependencies: { peer: '^2.0.0', native: '^1.0.0' },
      peerDependenciesMeta: { native: { optional: true } },
    },
    'node_modules/dep/package.json': { name: 'dep', version: '1.2.0', dependencies: { sub: '^3.0.0' } },
    'node_modules/dep/node_modules/sub/package.json': { name: 'sub', version: '3.1.0' },
    'node_modules/sub/package.json': { name: 'sub', version: '4.0.0' },
    'node_modules/peer/package.json': {
      name: 'peer',
      version: '2.0.1',
      optionalDependencies: { other: '1' },
    },
  });
  const a = { name: '@w/a', dir: join(dir, 'packages/a') };
  const closure = thirdPartyClosure([a], new Set(['@w/a', '@w/b']));
  assert.deepEqual(closure.packages.map((p) => `${p.name}@${p.version}`).sort(), [
    'dep@1.2.0',
    'peer@2.0.1',
    'sub@3.1.0',
  ]);
  assert.deepEqual(closure.skipped, ['native', 'other']);
  assert.deepEqual(closure.missing, []);
  const broken = tree({ 'p/package.json': { name: 'p', version: '1.0.0', dependencies: { gone: '1' } } });
  assert.deepEqual(thirdPartyClosure([{ dir: join(broken, 'p') }], new Set()).missing, [
    'gone (needed by p)',
  ]);
});

test('compareVersions orders releases and pre-releases', () => {
  const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', '0.9.9'].sort(compareVersions);
  assert.deepEqual(sorted, ['0.9.9', '1.2.0-rc.1', '1.2.0', '1.10.0']);
});

test('workspaceFolders expands the pnpm workspace globs', () => {
  const dir = tree({
    'pnpm-workspace.yaml': "packages:\n  - packages/*\n  - 'tools'\nallowBuilds:\n  esbuild: true\n",
    'packages/one/package.json': {},
    'packages/two/package.json': {},
    'packages/notes/readme.md': '',
    'tools/package.json': {},
  });
  assert.deepEqual(workspaceFolders(dir).sort(), ['packages/one', 'packages/two', 'tools']);
});
