/**
 * The packages as an application loads them: one process that reaches genzoo both through `import`
 * (the ESM build) and through `require` (the CJS build) still has one plugin registry, one dataset
 * table, and errors whose `instanceof` holds across the two builds.
 */
import { spawnSync } from 'node:child_process';
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
