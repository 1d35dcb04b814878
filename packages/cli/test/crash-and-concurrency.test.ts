/**
 * Runs never lose data: real `genzoo` processes (spawned, not in-process promises) racing for one run
 * folder or one cached reference classifier, locks left behind by dead, live and foreign processes, and
 * runs killed with SIGKILL at random moments then resumed — which must end exactly where an
 * uninterrupted run ends (weights, optimizer state, every metrics line but its `seconds`).
 *
 * The kill test draws its delay from a seeded generator and prints the seed; rerun a failure with
 * GENZOO_TEST_KILL_SEED=<seed>.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, SMALL_VAE } from './run-cli.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
const root = mkdtempSync(join(tmpdir(), 'genzoo-cli-crash-'));
const LOCK = '.genzoo.lock';

interface Finished {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
  /** performance.now() at exit, to order the exits of processes run side by side. */
  endedAt: number;
}

interface Running {
  child: ChildProcess;
  pid: number;
  done: Promise<Finished>;
  running(): boolean;
}

/** Every process a test started and that may still run; killed (by pid) when the file ends. */
const live = new Set<ChildProcess>();

/** Starts `genzoo …args` in its own process on `backend`; `done` resolves when it has exited. */
function start(backend: 'cpu' | 'wasm', args: string[], env: Record<string, string> = {}): Running {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, GENZOO_BACKEND: backend, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => {
      live.delete(child);
      const endedAt = performance.now();
      resolve({ status, signal, stdout, stderr, ms: endedAt - startedAt, endedAt });
    });
  });
  return {
    child,
    pid: child.pid!,
    done,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails when `alive` turns false first or after `timeoutMs`. */
async function waitFor(
  what: string,
  condition: () => boolean,
  options: { alive: () => boolean; timeoutMs: number; pollMs?: number },
): Promise<void> {
  const start = performance.now();
  for (;;) {
    if (condition()) return;
    if (!options.alive()) throw new Error(`the process exited before ${what}`);
    if (performance.now() - start > options.timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(options.pollMs ?? 100);
  }
}

/** Every line of a metrics log, parsed: a torn or interleaved line fails the test here. */
function logLines(dir: string): Array<Record<string, unknown> & { kind: string; step: number }> {
  const text = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
  expect(text.endsWith('\n'), 'metrics.jsonl ends with a whole line').toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`metrics.jsonl has an unreadable line: ${line}`);
      }
    });
}

/** The log's lines without their `seconds` (wall-clock time, the one field a resumed run may change). */
function linesWithoutSeconds(dir: string): Array<Record<string, unknown>> {
  return logLines(dir).map((line) => {
    const copy: Record<string, unknown> = { ...line };
    delete copy.seconds;
    return copy;
  });
}

function stepsOf(dir: string, kind: 'train' | 'eval'): number[] {
  return logLines(dir)
    .filter((line) => line.kind === kind)
    .map((line) => line.step);
}

function expectNoDuplicateLines(dir: string): void {
  const keys = logLines(dir).map((line) => `${line.kind}@${line.step}`);
  expect(keys).toEqual([...new Set(keys)]);
}

/** The steps logged every `every` steps up to `total`. */
function everyStep(every: number, total: number): number[] {
  return Array.from({ length: Math.ceil(total / every) }, (_, i) => Math.min((i + 1) * every, total));
}

/** Locks, temporary saves and set-aside runs anywhere below `dir`: none may be left after a command. */
function leftovers(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (/\.lock|\.saving-|\.tmp$|\.previous|\.stale-/.test(entry.name)) found.push(relative(dir, path));
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return found;
}

function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

interface Manifest {
  state: Record<string, unknown> & { step: number };
  metrics: Record<string, unknown>;
}

/** The step of the run's checkpoint, or undefined while there is none. */
function checkpointStep(dir: string): number | undefined {
  const path = join(dir, 'checkpoint', 'manifest.json');
  if (!existsSync(path)) return undefined;
  try {
    return readJson<Manifest>(path).state.step;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks), read as lock.ts reads it. */
function processStart(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
}

// The rounds (each its own race, on its own cache) run at once, and beside the lock tests below.
describe.concurrent('two scores started together on a fresh classifier cache', () => {
  const run = join(root, 'scored');
  const ROUNDS = 3;

  beforeAll(async () => {
    const trained = await start('wasm', [
      'train',
      'vae',
      '--dataset',
      'mnist-10k',
      '--out',
      run,
      '--steps',
      '20',
      ...SMALL_VAE,
      '--json',
    ]).done;
    expect(trained.status, trained.stderr).toBe(0);
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}/${ROUNDS}: one trains the reference classifier, the other waits for it and reads it; both report the same metrics`, async () => {
      const cache = join(root, `cache-${round}`);
      const scores = [0, 1].map(() =>
        start('wasm', ['score', run, '--json', '--classifier-epochs', '1', '--n', '100'], {
          GENZOO_CACHE_DIR: cache,
        }),
      );
      const results = await Promise.all(scores.map((s) => s.done));
      for (const r of results) expect(r.status, r.stderr).toBe(0);
      type Score = Record<string, unknown> & { classifier: { trained: boolean; path: string } };
      const metrics = results.map((r) => lastJson<Score>(r.stdout));

      expect(metrics.map((m) => m.classifier.trained).sort()).toEqual([false, true]);
      const t = metrics.findIndex((m) => m.classifier.trained);
      const w = 1 - t;
      expect(results[t].stderr).toBe('');
      expect(results[w].stderr).toContain(
        `warning: waiting for training the mnist-10k reference classifier (pid ${scores[t].pid} on ${hostname()}, since `,
      );
      expect({ ...metrics[w], classifier: { ...metrics[w].classifier, trained: true } }).toEqual(metrics[t]);

      const entry = metrics[t].classifier.path;
      const classifiers = join(cache, 'classifiers');
      expect(dirname(entry)).toBe(classifiers);
      // The entry alone: no lock, no `.saving-…`, no `.previous` beside it.
      expect(readdirSync(classifiers)).toEqual([basename(entry)]);
      expect(readdirSync(entry).sort()).toEqual(['manifest.json', 'optimizer.bin', 'weights.bin']);
      expect(readJson<Manifest>(join(entry, 'manifest.json')).metrics).toMatchObject({
        eval: { accuracy: expect.any(Number) },
      });
    });
  }
});

describe.concurrent('a lock left in the run folder', () => {
  const train = (dir: string) =>
    start('cpu', ['train', 'gmm', '--dataset', 'moons', '--out', dir, '--steps', '5', '--json']).done;
  const holder = (pid: number, extra: Record<string, unknown> = {}) => ({
    pid,
    host: hostname(),
    purpose: 'genzoo train vae',
    since: new Date().toISOString(),
    ...extra,
  });
  function writeLock(dir: string, lock: Record<string, unknown>): string {
    mkdirSync(dir, { recursive: true });
    const text = `${JSON.stringify(lock)}\n`;
    writeFileSync(join(dir, LOCK), text);
    return text;
  }
  async function expectTakenOver(dir: string): Promise<void> {
    const r = await train(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('locked');
    expect(readJson(join(dir, 'result.json'))).toMatchObject({ model: 'gmm', steps: 5 });
    expect(leftovers(dir)).toEqual([]);
  }
  async function expectRefused(dir: string, lockText: string, names: string): Promise<void> {
    const r = await train(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(dir, LOCK)} is locked by genzoo train vae (${names}, since `);
    // The lock is never broken, and nothing else was written.
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(lockText);
    expect(readdirSync(dir)).toEqual([LOCK]);
  }

  let dead: number;
  let sleeper: Running;
  beforeAll(async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    dead = gone.pid!;
    const sleeping = spawn('sleep', ['300'], { stdio: 'ignore' });
    live.add(sleeping);
    sleeper = {
      child: sleeping,
      pid: sleeping.pid!,
      done: new Promise<Finished>(() => {}),
      running: () => sleeping.exitCode === null && sleeping.signalCode === null,
    };
    await waitFor('sleep to start', () => existsSync(`/proc/${sleeping.pid}/stat`), {
      alive: sleeper.running,
      timeoutMs: 5000,
      pollMs: 10,
    });
  });
  afterAll(() => {
    sleeper.child.kill('SIGKILL');
    live.delete(sleeper.child);
  });

  it('naming a dead process of this host is stale: train takes the folder over', async () => {
    expect(() => process.kill(dead, 0)).toThrow();
    const dir = join(root, 'lock-dead');
    writeLock(dir, holder(dead, { processStart: '12345' }));
    await expectTakenOver(dir);
  });

  it('naming a live process of this host, with its start time or without one, is refused naming its pid', async () => {
    const start = processStart(sleeper.pid);
    for (const [name, lock] of [
      ['with-start', holder(sleeper.pid, { processStart: start })],
      ['without-start', holder(sleeper.pid)],
    ] as const) {
      const dir = join(root, `lock-live-${name}`);
      await expectRefused(dir, writeLock(dir, lock), `pid ${sleeper.pid} on ${hostname()}`);
    }
    expect(sleeper.running()).toBe(true);
  });

  it('naming a live pid that started at another time (the pid was reused) is stale: taken over', async () => {
    const dir = join(root, 'lock-reused');
    writeLock(dir, holder(sleeper.pid, { processStart: String(Number(processStart(sleeper.pid)) + 1) }));
    await expectTakenOver(dir);
  });

  it('naming a process on another host is refused and never broken, even when that pid is dead here', async () => {
    const dir = join(root, 'lock-foreign');
    const text = writeLock(dir, holder(dead, { host: 'genzoo-test-elsewhere.invalid', processStart: '1' }));
    await expectRefused(dir, text, `pid ${dead} on genzoo-test-elsewhere.invalid`);
  });

  it('resume takes the same lock: a live holder makes it fail at once, leaving the run as it was', async () => {
    const dir = join(root, 'lock-resume');
    expect((await train(dir)).status).toBe(0);
    const weights = readFileSync(join(dir, 'checkpoint', 'weights.bin'));
    const text = writeLock(dir, holder(sleeper.pid, { processStart: processStart(sleeper.pid) }));
    const r = await start('cpu', ['resume', dir, '--steps', '10', '--json']).done;
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${join(dir, LOCK)} is locked by genzoo train vae (pid ${sleeper.pid} on ${hostname()}, since `,
    );
    expect(readFileSync(join(dir, LOCK), 'utf8')).toBe(text);
    expect(readFileSync(join(dir, 'checkpoint', 'weights.bin')).equals(weights)).toBe(true);
    expect(readJson<Manifest>(join(dir, 'checkpoint', 'manifest.json')).state.step).toBe(5);
  });
});

// Sequential (not concurrent), which also keeps the concurrent groups above and below apart.
describe('two trains started together into one --out', () => {
  const variants = [
    { name: 'default checkpoints', extra: [] as string[], steps: [300, 320] },
    { name: 'a checkpoint every step', extra: ['--set', 'train.checkpointEvery=1'], steps: [200, 220] },
  ];
  variants.forEach((variant, v) => {
    it(`exactly one runs (${variant.name}); the other fails at once naming the winner's pid, and the folder holds the winner's whole run`, async () => {
      const dir = join(root, `race-${v}`);
      const models = ['vae', 'cvae'];
      const runs = models.map((model, i) =>
        start('wasm', [
          'train',
          model,
          '--dataset',
          'mnist-10k',
          '--out',
          dir,
          '--steps',
          String(variant.steps[i]),
          ...SMALL_VAE,
          '--set',
          'train.logEvery=10',
          ...variant.extra,
          '--json',
        ]),
      );
      const results = await Promise.all(runs.map((run) => run.done));
      expect(results.map((r) => r.status).sort(), results.map((r) => r.stderr).join('\n')).toEqual([0, 1]);
      const w = results.findIndex((r) => r.status === 0);
      const l = 1 - w;
      const [winner, loser] = [results[w], results[l]];
      console.log(
        `${variant.name}: ${models[w]} won in ${Math.round(winner.ms)} ms; ${models[l]} refused after ${Math.round(loser.ms)} ms`,
      );

      expect(loser.stderr).toContain(
        `${join(dir, LOCK)} is locked by genzoo train ${models[w]} (pid ${runs[w].pid} on ${hostname()}, since `,
      );
      expect(loser.stdout).toBe('');
      // Refused at once (after the backend starts), not after training: well before the winner ends.
      expect(loser.ms).toBeLessThan(8000);
      expect(loser.endedAt).toBeLessThan(winner.endedAt);

      const steps = variant.steps[w];
      expect(lastJson(winner.stdout)).toMatchObject({ model: models[w], steps });
      expect(readJson(join(dir, 'result.json'))).toMatchObject({ model: models[w], steps });
      expect(readJson<Manifest>(join(dir, 'checkpoint', 'manifest.json')).state.step).toBe(steps);
      // Each logged step once, in order: one writer, no interleaved lines.
      expect(stepsOf(dir, 'train')).toEqual(everyStep(10, steps));
      expect(stepsOf(dir, 'eval')).toEqual([steps]);
      expect(logLines(dir).every((line) => line.kind === 'train' || line.kind === 'eval')).toBe(true);

      // The checkpoint loads and is the one the result describes (the run's evaluation: 100 examples, K = 10).
      const evaluated = await start('wasm', ['eval', dir, '--limit', '100', '--samples', '10', '--json'])
        .done;
      expect(evaluated.status, evaluated.stderr).toBe(0);
      const { test } = readJson<{ test: { nll_nats: number } }>(join(dir, 'result.json'));
      expect(lastJson<{ nll_nats: number }>(evaluated.stdout).nll_nats).toBeCloseTo(test.nll_nats, 6);
      expect(leftovers(dir)).toEqual([]);
    });
  });
});

/** mulberry32: a seeded generator, so that a failing kill moment can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.concurrent('kill -9 and resume, with the default checkpoint settings', () => {
  /** How long the uninterrupted run should last: past the first (60 s) checkpoint, with time to kill in. */
  const TARGET_SECONDS = 85;
  const vae = (dir: string, steps: number, ...extra: string[]) => [
    'train',
    'vae',
    '--dataset',
    'mnist-10k',
    '--out',
    dir,
    '--steps',
    String(steps),
    '--eval-limit',
    '100',
    ...(extra.includes('--eval-samples') ? [] : ['--eval-samples', '10']),
    ...extra,
    '--json',
  ];
  // The other kill tests wait until run B is killed, so that they do not slow the runs being timed.
  let openGate: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });

  it('a run killed at a random moment after its first checkpoint resumes to the weights, optimizer state and metrics of an uninterrupted run', {
    // About 2 minutes; more when the machine speeds up after the calibration and the runs start again.
    timeout: 360_000,
  }, async ({ expect }) => {
    try {
      // Calibration: two runs side by side, as A and B will be; seconds per step from the log.
      const calibration = await Promise.all(
        [0, 1].map(
          (i) => start('wasm', vae(join(root, `calibrate-${i}`), 50, '--set', 'train.logEvery=10')).done,
        ),
      );
      for (const r of calibration) expect(r.status, r.stderr).toBe(0);
      // The faster of the two: a run that lasts longer than planned only makes the test longer.
      const perStep = Math.min(
        ...[0, 1].map((i) => {
          const seconds = logLines(join(root, `calibrate-${i}`))
            .filter((line) => line.kind === 'train')
            .map((line) => line.seconds as number);
          return (seconds[4] - seconds[0]) / 40;
        }),
      );
      let steps = Math.max(200, Math.round(TARGET_SECONDS / perStep));
      const seed = Number(process.env.GENZOO_TEST_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
      const random = seededRandom(seed);
      console.log(
        `kill test: ${(perStep * 1000).toFixed(1)} ms/step side by side → ${steps} steps; GENZOO_TEST_KILL_SEED=${seed}`,
      );

      const dirA = join(root, 'uninterrupted');
      const dirB = join(root, 'killed');
      let a: Running;
      for (let attempt = 1; ; attempt++) {
        const startedAt = performance.now();
        a = start('wasm', vae(dirA, steps));
        const b = start('wasm', vae(dirB, steps));
        await waitFor("B's first checkpoint", () => checkpointStep(dirB) !== undefined, {
          alive: b.running,
          timeoutMs: 200_000,
        });
        const first = checkpointStep(dirB)!;
        const after = `B checkpointed at step ${first} of ${steps} after ${Math.round((performance.now() - startedAt) / 1000)} s`;
        if (first < steps) {
          // A moment in the rest of the training, clear of its end (after which nothing is trained); the
          // pace is B's own: `first` steps in the 60 s of training before its first checkpoint.
          const delayMs = Math.round(random() * 0.8 * (steps - first) * (60 / first) * 1000);
          await sleep(delayMs);
          if (b.running()) {
            b.child.kill('SIGKILL');
            expect((await b.done).signal).toBe('SIGKILL');
            const lastLogged = logLines(dirB).at(-1)?.step;
            console.log(`kill test: ${after}; killed ${delayMs} ms later (last logged step ${lastLogged})`);
            break;
          }
        }
        // B ended before it could be killed: the machine (shared) ran faster than calibrated. Once more,
        // with as many steps as last TARGET_SECONDS at the pace of this run.
        const results = await Promise.all([a.done, b.done]);
        for (const r of results) expect(r.status, r.stderr).toBe(0);
        expect(attempt, `twice the run of ${steps} steps ended before it could be killed`).toBe(1);
        const trained = logLines(dirB).filter((line) => line.kind === 'train');
        const pace = (trained.at(-1)!.seconds as number) / steps;
        const more = Math.max(steps + 50, Math.round(TARGET_SECONDS / pace));
        console.log(`kill test: ${after} and ended before the kill; again with ${more} steps`);
        steps = more;
        for (const dir of [dirA, dirB]) rmSync(dir, { recursive: true });
      }
      openGate();
      expect(existsSync(join(dirB, 'result.json'))).toBe(false);
      const resumed = await start('wasm', ['resume', dirB, '--json']).done;
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(lastJson(resumed.stdout)).toMatchObject({ model: 'vae', steps });
      const warnings = resumed.stderr.split('\n').filter((line) => line.startsWith('warning'));
      if (warnings.length > 0) console.log(`kill test: resume warned: ${warnings.join('; ')}`);
      const aEnd = await a.done;
      expect(aEnd.status, aEnd.stderr).toBe(0);

      for (const file of ['weights.bin', 'optimizer.bin']) {
        const bytesA = readFileSync(join(dirA, 'checkpoint', file));
        const bytesB = readFileSync(join(dirB, 'checkpoint', file));
        expect(bytesB.equals(bytesA), `${file} of the resumed run equals the uninterrupted run's`).toBe(true);
      }
      const [manifestA, manifestB] = [dirA, dirB].map((dir) =>
        readJson<Manifest>(join(dir, 'checkpoint', 'manifest.json')),
      );
      expect({ ...manifestB.state, seconds: 0 }).toEqual({ ...manifestA.state, seconds: 0 });
      expect(manifestB.metrics).toEqual(manifestA.metrics);
      expect(linesWithoutSeconds(dirB)).toEqual(linesWithoutSeconds(dirA));
      expectNoDuplicateLines(dirB);
      expect(stepsOf(dirB, 'train').at(-1)).toBe(steps);
      for (const dir of [dirA, dirB]) {
        expect(readJson(join(dir, 'result.json'))).toMatchObject({ model: 'vae', steps });
        expect(leftovers(dir)).toEqual([]);
      }
    } finally {
      openGate();
    }
  });

  it('a run killed before its first checkpoint cannot be resumed, and a new train refuses its folder unless --overwrite', {
    timeout: 420_000,
  }, async ({ expect }) => {
    await gate;
    const dir = join(root, 'killed-early');
    // Default checkpoint settings (the first at 60 s); a log line every 5 steps, so the folder holds a log.
    const args = (steps: number) => vae(dir, steps, '--set', 'train.logEvery=5');
    const run = start('wasm', args(2000));
    // The logger creates the file empty, then appends whole lines.
    const logged = () =>
      existsSync(join(dir, 'metrics.jsonl')) &&
      readFileSync(join(dir, 'metrics.jsonl'), 'utf8').includes('\n');
    await waitFor('the first log line', logged, { alive: run.running, timeoutMs: 60_000, pollMs: 20 });
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'checkpoint'))).toBe(false);
    expect(existsSync(join(dir, LOCK)), 'the killed run left its (now stale) lock').toBe(true);

    const resumed = await start('wasm', ['resume', dir, '--json']).done;
    expect(resumed.status).toBe(1);
    expect(resumed.stderr).toContain(`no checkpoint in ${dir}`);

    const log = readFileSync(join(dir, 'metrics.jsonl'));
    const again = await start('wasm', args(2000)).done;
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(
      `--out ${dir} holds the log of a run that stopped before its first checkpoint (nothing to resume); pass --overwrite`,
    );
    expect(readFileSync(join(dir, 'metrics.jsonl')).equals(log)).toBe(true);

    const replaced = await start('wasm', [...args(30), '--overwrite']).done;
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(readJson(join(dir, 'result.json'))).toMatchObject({ model: 'vae', steps: 30 });
    expect(stepsOf(dir, 'train')).toEqual(everyStep(5, 30));
    expect(stepsOf(dir, 'eval')).toEqual([30]);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a run killed after its final checkpoint (during the final test evaluation) resumes without logging anything twice', {
    timeout: 420_000,
  }, async ({ expect }) => {
    await gate;
    const dir = join(root, 'killed-late');
    // The final test evaluation's 1000 importance samples (the periodic one uses 100) give seconds to kill in.
    const run = start('wasm', vae(dir, 40, '--set', 'train.logEvery=10', '--eval-samples', '1000'));
    await waitFor('the final checkpoint', () => checkpointStep(dir) === 40, {
      alive: run.running,
      timeoutMs: 120_000,
      pollMs: 20,
    });
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'result.json'))).toBe(false);
    const log = linesWithoutSeconds(dir);
    expect(log.map((line) => `${line.kind}@${line.step}`)).toEqual([
      'train@10',
      'train@20',
      'train@30',
      'train@40',
      'eval@40',
    ]);
    const weights = readFileSync(join(dir, 'checkpoint', 'weights.bin'));

    const resumed = await start('wasm', ['resume', dir, '--json']).done;
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(lastJson(resumed.stdout)).toMatchObject({ model: 'vae', steps: 40 });
    // Nothing was left to train: the log and the weights are those of the finished training.
    expect(linesWithoutSeconds(dir)).toEqual(log);
    expect(readFileSync(join(dir, 'checkpoint', 'weights.bin')).equals(weights)).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });
});
