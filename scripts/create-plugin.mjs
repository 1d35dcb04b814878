#!/usr/bin/env node
// Creates a genzoo plugin package from templates/plugin/:
//
//   node scripts/create-plugin.mjs <dir> --model foo [--name @scope/genzoo-foo] [--workspace] [--force]
//   pnpm create-plugin <dir> --model foo --name @scope/genzoo-foo
//
// The package (package.json, tsconfig, tsup and vitest configs, src/<model>/{config,model,recipes,index}.ts,
// src/index.ts with the plugin, test/smoke.test.ts and test/leak.test.ts, README.md) is standalone: its
// @genzoo/* ranges are this checkout's versions (`workspace:^` with --workspace, for a package inside a
// pnpm workspace such as this one), and its tool versions are the ones this repository uses.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const templateDir = join(root, 'templates', 'plugin');
/** Template files stored under another name, so that no tool mistakes them for the repository's own. */
const RENAMED = { '_package.json': 'package.json', _gitignore: '.gitignore' };
const PLACEHOLDER = /__[A-Za-z][A-Za-z_]*?__/g;

function fail(message) {
  console.error(`create-plugin: ${message}`);
  console.error(
    'usage: node scripts/create-plugin.mjs <dir> --model <name> [--name <package>] [--workspace] [--force]',
  );
  process.exit(2);
}

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    name: { type: 'string' },
    workspace: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  console.log(
    'usage: node scripts/create-plugin.mjs <dir> --model <name> [--name <package>] [--workspace] [--force]\n' +
      '  --model      the model name registered with genzoo (lowercase, digits, dashes), e.g. foo\n' +
      '  --name       the package name (default genzoo-<model>), e.g. @scope/genzoo-foo\n' +
      '  --workspace  depend on @genzoo/* as workspace:^ (a package inside a pnpm workspace)\n' +
      '  --force      write into a folder that is not empty',
  );
  process.exit(0);
}
if (positionals.length !== 1) fail('give exactly one target folder');
const model = options.model ?? fail('--model is required');
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(model)) {
  fail(
    `model name "${model}": use lowercase letters and digits, words joined by single dashes (e.g. my-model)`,
  );
}
const packageName = options.name ?? `genzoo-${model}`;
if (!/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(packageName) || packageName.length > 214) {
  fail(`"${packageName}" is not a valid npm package name`);
}
// `pnpm create-plugin` runs this from the repository root; INIT_CWD is where the user typed it.
const cwd = process.env.INIT_CWD ?? process.cwd();
const target = resolve(cwd, positionals[0]);
if (existsSync(target) && readdirSync(target).length > 0 && !options.force) {
  fail(`${target} exists and is not empty (--force writes into it anyway)`);
}

const words = model.split('-');
const camel =
  words[0] +
  words
    .slice(1)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const pascal = camel[0].toUpperCase() + camel.slice(1);

const manifest = (path) => JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8'));
const rootManifest = manifest('.');
const core = manifest('packages/core');
const testing = manifest('packages/testing');
const genzooRange = (pkg) => (options.workspace ? 'workspace:^' : `^${pkg.version}`);
const replacements = {
  __PACKAGE_NAME__: packageName,
  __MODEL_NAME__: model,
  __modelIdent__: camel,
  __ModelClass__: pascal,
  __CORE_RANGE__: genzooRange(core),
  __TESTING_RANGE__: genzooRange(testing),
  __TFJS_RANGE__: core.peerDependencies['@tensorflow/tfjs-core'],
  __TFJS_VERSION__: core.devDependencies['@tensorflow/tfjs-core'],
  __ZOD_RANGE__: core.dependencies.zod,
  __TYPES_NODE_RANGE__: rootManifest.devDependencies['@types/node'],
  __TSUP_VERSION__: rootManifest.devDependencies.tsup,
  __TYPESCRIPT_VERSION__: rootManifest.devDependencies.typescript,
  __VITEST_VERSION__: rootManifest.devDependencies.vitest,
};
for (const [key, value] of Object.entries(replacements)) {
  if (typeof value !== 'string') fail(`cannot fill ${key}: not found in this checkout's package.json files`);
}
const fill = (text) => text.replace(PLACEHOLDER, (p) => replacements[p] ?? p);

function* templateFiles(dir) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* templateFiles(path);
    else yield path;
  }
}

const written = [];
for (const source of templateFiles(templateDir)) {
  const rel = relative(templateDir, source);
  const base = rel.split(/[\\/]/).pop();
  const renamed = base in RENAMED ? join(dirname(rel), RENAMED[base]) : rel;
  const out = join(target, fill(renamed));
  const text = fill(readFileSync(source, 'utf8'));
  const left = text.match(PLACEHOLDER);
  if (left) fail(`template ${rel} has placeholders nothing fills: ${[...new Set(left)].join(', ')}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  written.push(relative(target, out));
}

console.log(`created ${packageName} (model "${model}") in ${target}:`);
for (const file of written) console.log(`  ${file}`);
console.log(`\nnext:\n  cd ${relative(cwd, target) || '.'}\n  npm install   # or pnpm install`);
console.log('  npm test && npm run build');
console.log(`  GENZOO_PLUGINS=./dist/index.js npx genzoo list`);
