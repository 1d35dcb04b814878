/**
 * The plugin generator end to end: `scripts/create-plugin.mjs` writes a package from templates/plugin/
 * into a folder outside the workspace, whose node_modules links this checkout's packages (the built
 * @genzoo/core and @genzoo/testing, and the tools at the versions the workspace uses); the package then
 * typechecks, builds, and passes its own smoke and leak tests, and its build is a loadable plugin.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'genzoo-create-plugin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Where this checkout has each package the generated one needs (real paths: one copy of each). */
const linked: Record<string, string> = {
  '@genzoo/core': join(root, 'packages/core'),
  '@genzoo/testing': join(root, 'packages/testing'),
  '@tensorflow/tfjs-core': join(root, 'packages/testing/node_modules/@tensorflow/tfjs-core'),
  '@tensorflow/tfjs-backend-cpu': join(root, 'packages/testing/node_modules/@tensorflow/tfjs-backend-cpu'),
  zod: join(root, 'packages/core/node_modules/zod'),
  '@types/node': join(root, 'node_modules/@types/node'),
  tsup: join(root, 'node_modules/tsup'),
  typescript: join(root, 'node_modules/typescript'),
  vitest: join(root, 'node_modules/vitest'),
};

function linkDependencies(dir: string): void {
  for (const [name, path] of Object.entries(linked)) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(path), link, 'dir');
  }
}

/** The JavaScript file behind a package's command. */
function bin(name: string, command = name): string {
  const manifest = JSON.parse(readFileSync(join(linked[name], 'package.json'), 'utf8')) as {
    bin: string | Record<string, string>;
  };
  return join(linked[name], typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[command]);
}

/** Runs node with args in cwd, without the environment of the vitest run around it. */
function run(args: string[], cwd: string, timeout = 120_000) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'),
  );
  const result = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function generate(dir: string, ...args: string[]) {
  return run([join(root, 'scripts/create-plugin.mjs'), dir, ...args], root);
}

describe('create-plugin', () => {
  it('refuses bad model and package names and a folder that is not empty', () => {
    expect(generate(join(work, 'bad'), '--model', 'Foo').output).toMatch(/model name "Foo"/);
    expect(generate(join(work, 'bad'), '--model', 'foo', '--name', 'Not Valid').output).toMatch(
      /not a valid npm package name/,
    );
    expect(generate(join(work, 'bad')).status).toBe(2);
    expect(generate(root, '--model', 'foo').output).toMatch(/is not empty/);
  });

  it('generates a package that typechecks, builds, passes its smoke and leak tests, and loads as a plugin', async () => {
    const dir = join(work, 'genzoo-toy-gauss');
    const created = generate(dir, '--model', 'toy-gauss', '--name', '@example/genzoo-toy-gauss');
    expect(created.status, created.output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@example/genzoo-toy-gauss');
    expect(manifest.peerDependencies['@genzoo/core']).toMatch(/^\^\d/);
    linkDependencies(dir);

    const typecheck = run([bin('typescript', 'tsc'), '-p', 'tsconfig.json'], dir);
    expect(typecheck.status, typecheck.output).toBe(0);
    const build = run([bin('tsup')], dir);
    expect(build.status, build.output).toBe(0);

    const results = join(dir, 'vitest-results.json');
    const tests = run([bin('vitest'), 'run', '--reporter=json', `--outputFile=${results}`], dir);
    expect(tests.status, tests.output).toBe(0);
    const summary = JSON.parse(readFileSync(results, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: { name: string }[];
    };
    expect(summary.numFailedTests).toBe(0);
    // smoke: the moons recipe and the closed-form check; leak: the moons recipe.
    expect(summary.numPassedTests).toBe(3);
    expect(summary.testResults.map((r) => r.name.split('/').pop()).sort()).toEqual([
      'leak.test.ts',
      'smoke.test.ts',
    ]);

    const built = (await import(pathToFileURL(join(dir, 'dist/index.js')).href)) as {
      default: { name: string; version: string; models: { name: string; likelihood: string }[] };
    };
    expect(built.default.name).toBe('@example/genzoo-toy-gauss');
    expect(built.default.version).toBe('0.1.0');
    expect(built.default.models.map((m) => [m.name, m.likelihood])).toEqual([['toy-gauss', 'exact']]);
    const required = run(
      [
        '-e',
        `console.log(JSON.stringify(require(${JSON.stringify(join(dir, 'dist/index.cjs'))}).plugin.models.map((m) => m.name)))`,
      ],
      dir,
    );
    expect(required.output.trim()).toBe('["toy-gauss"]');
  });
});
