/**
 * The packages as an application loads them: one process that reaches genzoo both through `import`
 * (the ESM build) and through `require` (the CJS build) still has one plugin registry, one dataset
 * table, and errors whose `instanceof` holds across the two builds; and GENZOO_PLUGINS finds a user's
 * plugins from the user's project, not from the CLI's folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'dual-package.cjs');

describe('the dual-package hazard', () => {
  it('the ESM and CJS builds share registries and error kinds', () => {
    const run = spawnSync(process.execPath, [fixture], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({
      esmIsCjs: false,
      cjsSeesEsmModel: true,
      esmSeesCjsDataset: true,
      configErrorAcross: true,
      dataErrorAcross: true,
      notAnotherKind: false,
      stillAnError: true,
    });
  });
});

/** A plugin module as a user writes one: plain data, one model (never built here). */
const pluginSource = (name: string, model: string) => `export default {
  name: '${name}',
  version: '0.0.1',
  models: [{
    name: '${model}', family: 'test', description: 'a user plugin', likelihood: 'none',
    configSchema: { safeParse: (c) => ({ success: true, data: c }) },
    create: () => { throw new Error('not built here'); },
    reproduce: [],
  }],
};
`;

describe('GENZOO_PLUGINS', () => {
  it("loads a relative path from the working directory and a package from the user's project", () => {
    const project = mkdtempSync(join(tmpdir(), 'genzoo-plugin-project-'));
    try {
      writeFileSync(join(project, 'local-plugin.mjs'), pluginSource('local-plugin', 'local-model'));
      // An ESM-only package (exports with an `import` condition only) installed in the project.
      const installed = join(project, 'node_modules', 'genzoo-plugin-example');
      mkdirSync(join(installed, 'dist'), { recursive: true });
      writeFileSync(
        join(installed, 'package.json'),
        JSON.stringify({
          name: 'genzoo-plugin-example',
          type: 'module',
          exports: { '.': { import: './dist/index.js' } },
        }),
      );
      writeFileSync(
        join(installed, 'dist', 'index.js'),
        pluginSource('genzoo-plugin-example', 'installed-model'),
      );
      const sub = join(project, 'src');
      mkdirSync(sub);
      const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
      const run = spawnSync(process.execPath, [bin, 'list', '--json'], {
        cwd: sub,
        encoding: 'utf8',
        env: {
          ...process.env,
          GENZOO_BACKEND: 'cpu',
          GENZOO_PLUGINS: '../local-plugin.mjs,genzoo-plugin-example',
        },
      });
      expect(run.status, run.stderr).toBe(0);
      const models = JSON.parse(run.stdout.trim().split('\n').pop() as string) as Array<{
        name: string;
        package: string;
      }>;
      expect(models.find((m) => m.name === 'local-model')?.package).toBe('local-plugin');
      expect(models.find((m) => m.name === 'installed-model')?.package).toBe('genzoo-plugin-example');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
