// The README's test command: builds what the tests need, runs every package's vitest suite through nx,
// then prints one closing line summing all packages ("tests: N passed, N failed").
import { spawnSync } from 'node:child_process';

const nx = spawnSync(
  'pnpm',
  ['exec', 'nx', 'run-many', '-t', 'test', '--outputStyle=stream', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
const summary = spawnSync('node', ['scripts/test-summary.mjs'], { stdio: 'inherit' });
process.exit(nx.status !== 0 ? nx.status || 1 : summary.status || 0);
