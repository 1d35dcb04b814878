/**
 * Runs never lose data: a run folder is never silently replaced, a failed or interrupted replacement
 * puts the earlier run back, a diverged model is never the last good checkpoint, a checkpoint's manifest
 * cannot choose where data comes from, a torn metrics log does not break resume, and file-system refusals
 * are named. Each test runs the built `genzoo` in its own process, as a user would.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { genzooOn, lastJson, metricLines } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-run-safety-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cpu = (...args: string[]) => genzooOn('cpu', ...args);
const wasm = (...args: string[]) => genzooOn('wasm', ...args);
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');

/** Every file under `dir` with its bytes, so a test can tell that nothing in a run changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/** A finished gmm run on two moons (a few steps of EM on the cpu backend: under a second). */
function gmmRun(name: string): string {
  const dir = join(root, name);
  const r = cpu('train', 'gmm', '--dataset', 'moons', '--out', dir, '--steps', '10', '--quiet');
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

const vaeOnMoons = ['train', 'vae', '--dataset', 'moons', '--steps', '3', '--eval-samples', '10', '--quiet'];

describe('train --out owns its folder', () => {
  it('refuses a folder that holds a run, naming it, and changes nothing there', () => {
    const dir = gmmRun('refuse');
    const before = snapshot(dir);
    const r = wasm(...vaeOnMoons, '--out', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--out ${dir} holds a run of gmm on moons, finished at step 10`);
    expect(r.stderr).toContain('--overwrite');
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a non-empty folder that is not a run, even with --overwrite', () => {
    const dir = join(root, 'not-a-run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    const r = wasm(...vaeOnMoons, '--out', dir, '--overwrite');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not empty and holds no genzoo run (thesis.tex)');
    expect(readdirSync(dir)).toEqual(['thesis.tex']);
  });

  it('a failed --overwrite (NaN at step 2) leaves the earlier run exactly as it was', () => {
    const dir = gmmRun('failed-overwrite');
    const before = snapshot(dir);
    const r = wasm(...vaeOnMoons, '--out', dir, '--overwrite', '--lr', '1e9');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/player "vae" produced \w+ = (NaN|-?Infinity) in step 2/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an invalid evaluation block fails before the folder is touched', () => {
    const dir = gmmRun('bad-evaluation');
    const before = snapshot(dir);
    const file = join(root, 'bad-evaluation.json');
    writeFileSync(file, JSON.stringify({ evaluation: { score: { n: 'all' } } }));
    const r = wasm(...vaeOnMoons, '--out', dir, '--overwrite', '--config', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/evaluation: score\.n: .*expected number/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('--overwrite replaces the run once the new one has a checkpoint; no stale picture survives', () => {
    const dir = gmmRun('overwrite');
    expect(existsSync(join(dir, 'density.png'))).toBe(true);
    const r = wasm(...vaeOnMoons, '--out', dir, '--overwrite', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(lastJson(r.stdout).model).toBe('vae');
    expect(readdirSync(dir).sort()).toEqual([
      'checkpoint',
      'curves.png',
      'curves.svg',
      'metrics.jsonl',
      'result.json',
      'samples.png',
    ]);
  });

  it('a new run that fails before its first checkpoint leaves no folder behind', () => {
    const dir = join(root, 'never-made', 'run');
    const r = wasm(...vaeOnMoons, '--out', dir, '--lr', '1e9');
    expect(r.status).toBe(1);
    expect(existsSync(dir)).toBe(false);
  });

  it('a replacement killed before its first checkpoint gives the earlier run back', async () => {
    const dir = gmmRun('killed-overwrite');
    const before = snapshot(dir);
    // A slow replacement (thousands of steps of a VAE on digits): killed once it has set the old run aside.
    const child = spawn(
      process.execPath,
      [bin, 'train', 'vae', '--dataset', 'mnist-10k', '--out', dir, '--overwrite', '--steps', '100000'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dir, '.previous-run')) && Date.now() < deadline) await sleep(20);
    expect(existsSync(join(dir, '.previous-run'))).toBe(true);
    // Readers meanwhile see the earlier run.
    const during = cpu('eval', dir, '--json');
    expect(during.status, during.stderr).toBe(0);
    expect(lastJson(during.stdout).model).toBe('gmm');
    expect(during.stderr).toContain('reading the earlier run');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // The next command to take the folder puts the earlier run back, then refuses to replace it.
    const r = wasm(...vaeOnMoons, '--out', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('stopped before its first checkpoint; the earlier run was put back');
    expect(r.stderr).toContain('holds a run of gmm on moons');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('divergence', () => {
  it('a learning-rate jump with a checkpoint every step keeps a checkpoint that evaluates', () => {
    const dir = join(root, 'diverge');
    const file = join(root, 'diverge.json');
    writeFileSync(
      file,
      JSON.stringify({
        train: {
          checkpointEvery: 1,
          optimizer: { name: 'sgd', learningRate: 0.01 },
          schedule: { kind: 'step', boundaries: [30], factor: 1e5 },
        },
      }),
    );
    const r = wasm('train', 'vae', '--dataset', 'moons', '--out', dir, '--steps', '200', '--config', file);
    expect(r.status).toBe(1);
    const step = JSON.parse(readFileSync(join(dir, 'checkpoint', 'manifest.json'), 'utf8')).state.step;
    expect(r.stderr).toContain('the parameters have diverged; no checkpoint was written');
    expect(r.stderr).toContain(`(step ${step}) was left as it was`);
    const evaluated = wasm('eval', dir, '--samples', '10', '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(Number.isFinite(lastJson(evaluated.stdout).nll_nats)).toBe(true);
  });
});

describe('a manifest cannot choose where data comes from', () => {
  it('file locations recorded in a manifest are ignored; the data comes from this machine', () => {
    const dir = join(root, 'relabelled');
    expect(cpu('train', 'ppca', '--dataset', 'mnist-10k', '--out', dir, '--quiet').status).toBe(0);
    const manifestPath = join(dir, 'checkpoint', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const evil = join(root, 'evil-cache');
    const fashion = '/usr/share/datasets/fashion-mnist';
    manifest.run.dataset = {
      name: 'mnist',
      options: { ...manifest.run.dataset.options, path: fashion, offline: false, cacheDir: evil },
    };
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const dataDir = join(root, 'no-data');
    mkdirSync(dataDir);
    const run = spawnSync(process.execPath, [bin, 'eval', dir], {
      encoding: 'utf8',
      env: { ...process.env, GENZOO_BACKEND: 'cpu', GENZOO_OFFLINE: '1', GENZOO_DATA_DIR: dataDir },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("ignoring the checkpoint's dataset option(s) path, offline, cacheDir");
    // Not read from the manifest's folder, no download into its cache: this machine has no MNIST.
    expect(run.stderr).toContain('mnist: data files not found (downloads are off: GENZOO_OFFLINE is set)');
    expect(run.stderr).not.toContain(`${fashion} (path option)`);
    expect(existsSync(evil)).toBe(false);
  });
});

describe('a manifest cannot reach outside its folder', () => {
  it("another run's weights named through ../ are refused before anything is read", () => {
    const victim = gmmRun('victim');
    const dir = gmmRun('traversal');
    const manifestPath = join(dir, 'checkpoint', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.weights.file = `../../${relative(root, victim)}/checkpoint/weights.bin`;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const out = join(root, 'traversal.png');
    for (const args of [['eval'], ['sample', '--out', out], ['score'], ['resume']]) {
      const [command] = args;
      const r = cpu(...args.slice(0, 1), dir, ...args.slice(1));
      expect(r.status, command).toBe(1);
      expect(r.stderr).toContain('weights.file: must be a plain file name in the checkpoint folder');
    }
  });
});

describe('the metrics log', () => {
  it('a torn last line and lines logged after the checkpoint neither break resume nor repeat', () => {
    const dir = join(root, 'torn');
    const r = cpu('train', 'gmm', '--dataset', 'moons', '--out', dir, '--steps', '20', '--quiet');
    expect(r.status).toBe(0);
    const log = join(dir, 'metrics.jsonl');
    const lines = readFileSync(log, 'utf8');
    // What a process killed after its checkpoint at step 20 leaves: a whole line of step 30, a torn one.
    const step30 = lines
      .trim()
      .split('\n')
      .find((line) => line.includes('"kind":"train"'))!
      .replace(/"step":\d+/, '"step":30');
    writeFileSync(log, `${lines}${step30}\n{"kind":"train","step":40,"epo`);
    const resumed = cpu('resume', dir, '--steps', '40', '--json');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${log}: line`);
    expect(resumed.stderr).toContain('is torn (the process writing it was killed); skipped it');
    expect(lastJson(resumed.stdout).steps).toBe(40);
    const steps = metricLines(log, 'train').map((l) => l.step);
    expect(steps).toEqual([10, 20, 30, 40]);
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).steps).toBe(40);
  });
});

describe('the file system says no', () => {
  it('names a read-only file system, a kernel file system and a file in the way', () => {
    const unshare = spawnSync('unshare', ['-rm', 'true']);
    if (unshare.status === 0) {
      const ro = spawnSync(
        'unshare',
        [
          '-rm',
          'sh',
          '-c',
          `mount -t tmpfs -o ro tmpfs "${root}" && exec "${process.execPath}" "${bin}" train gmm --dataset moons --out "${root}/x/run"`,
        ],
        { encoding: 'utf8', env: { ...process.env, GENZOO_BACKEND: 'cpu' } },
      );
      expect(ro.status).toBe(1);
      expect(ro.stderr).toContain(
        `cannot write the run folder ${root}/x/run: ${root} is on a read-only file system (EROFS)`,
      );
    } else {
      console.warn('skipped the read-only mount: unshare -rm is not permitted here');
    }
    const proc = cpu('train', 'gmm', '--dataset', 'moons', '--out', '/proc/genzoo-test/run');
    expect(proc.status).toBe(1);
    expect(proc.stderr).toContain(
      'cannot write the run folder /proc/genzoo-test/run: /proc does not allow new files',
    );
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const blocked = cpu('train', 'gmm', '--dataset', 'moons', '--out', join(file, 'run'));
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain(`${file} is a file, not a folder`);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
