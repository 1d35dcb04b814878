// `pnpm genzoo <args>` from the repository root: builds the packages (cached by nx, so this is quick
// when nothing changed), then runs the CLI. Build output is shown only when the build fails, so that
// `--json` output stays machine-readable.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.GENZOO_SKIP_BUILD !== '1') {
  const build = spawnSync('pnpm', ['exec', 'nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    process.stderr.write('genzoo: building the workspace failed (output above)\n');
    process.exit(build.status ?? 1);
  }
}
const cli = spawnSync('node', [join(root, 'packages/cli/dist/bin.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(cli.status ?? 1);
