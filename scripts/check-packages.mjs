// Checks every published package as a registry would ship it: publint (package.json fields, exports,
// files) in strict mode, and @arethetypeswrong/cli (types resolve for `import` and `require` under
// node10, node16 and bundler resolution). Run after the build; exits non-zero on any problem.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(import.meta.dirname, '..', 'packages');
const failed = [];
for (const name of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  for (const [tool, args] of [
    ['publint', ['exec', 'publint', '--strict']],
    ['attw', ['exec', 'attw', '--pack', '.', '--format', 'ascii']],
  ]) {
    const run = spawnSync('pnpm', args, { cwd: dir, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`.trim();
    console.log(`--- ${tool} ${manifest.name}\n${output}`);
    if (run.status !== 0) failed.push(`${tool} ${manifest.name}`);
  }
}
if (failed.length > 0) {
  console.error(`package checks failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('package checks: publint and attw pass on every published package');
