/**
 * The browser proof: src/entry.ts (core, datasets, backends, vae, flows, autoregressive, gan) bundled by
 * esbuild for the browser — no Node built-in resolved, nothing marked external, no alias or stub — then
 * served from a local HTTP server and run in headless Chromium (Debian's `chromium`, driven by
 * playwright-core; no browser download) on wasm and on cpu: each family trains, samples, saves its
 * checkpoint bytes and loads them back (from memory and IndexedDB), and resumes exactly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Message, type Metafile } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FamilyReport, ProofReport } from '../src/entry.js';

declare module 'vitest' {
  interface TaskMeta {
    bundle?: { rawBytes: number; gzipBytes: number; modules: number };
    proof?: { wallSeconds: number; report: ProofReport };
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.GENZOO_CHROMIUM ?? '/usr/bin/chromium';
/**
 * CI installs Chromium (.ci/run) and must run the proof; a developer's `pnpm test` without it still checks
 * the bundle and says, once, that the in-browser part did not run.
 */
const RUN_IN_BROWSER = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!RUN_IN_BROWSER) {
  console.warn(
    `note: no Chromium at ${CHROMIUM}, so the proof in headless Chromium is skipped here (CI runs it); ` +
      "install Debian's chromium (apt-get install chromium) or name a binary with GENZOO_CHROMIUM",
  );
}
const WASM_DIR = join(
  dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm/package.json'))),
  'dist',
);
const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
const FAMILIES = ['@genzoo/vae', '@genzoo/flows', '@genzoo/autoregressive', '@genzoo/gan', '@genzoo/vq-vae'];

/** Node's built-in modules as esbuild names them in errors and metafiles. */
const NODE_BUILTIN =
  /^(node:|(fs|path|os|url|util|crypto|stream|zlib|http|https|net|child_process|worker_threads|perf_hooks|buffer|events|module|process|assert|tty|readline)(\/|$))/;

interface Bundle {
  js: Uint8Array;
  errors: Message[];
  warnings: Message[];
  metafile: Metafile;
}

let bundle: Bundle;
let server: Server;
let base: string;
let browser: Browser;
const requests = new Map<string, number>();

function describeMessages(messages: Message[]): string {
  return messages
    .map((m) =>
      [
        `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`,
        ...m.notes.map(
          (n) => `  note: ${n.location ? `${n.location.file}:${n.location.line}: ` : ''}${n.text}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}

/** Who imports `path` in the metafile, back to the entry: "entry ← … ← path". */
function importChain(metafile: Metafile, path: string): string {
  const chain = [path];
  let current = path;
  for (let i = 0; i < 30; i++) {
    const importer = Object.entries(metafile.inputs).find(([, input]) =>
      input.imports.some((imp) => imp.path === current),
    )?.[0];
    if (importer === undefined || chain.includes(importer)) break;
    chain.push(importer);
    current = importer;
  }
  return chain.reverse().join(' → ');
}

beforeAll(async () => {
  // The bundle an app would ship: browser platform, ESM, minified as bundlers do by default (identifiers
  // renamed, no keepNames). No `external`, no `alias`, no `inject`: a Node built-in anywhere fails the build.
  const result = await build({
    entryPoints: [join(here, '..', 'src', 'entry.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  }).catch((error: { errors?: Message[]; warnings?: Message[] }) => {
    throw new Error(
      `esbuild could not bundle src/entry.ts for the browser:\n${describeMessages(error.errors ?? [])}`,
    );
  });
  bundle = {
    js: result.outputFiles[0].contents,
    errors: result.errors,
    warnings: result.warnings,
    metafile: result.metafile,
  };

  const indexHtml =
    '<!doctype html><meta charset="utf-8"><title>genzoo</title><script type="module" src="/bundle.js"></script>';
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const send = (type: string, body: string | Uint8Array) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/' || path === '/index.html') return send('text/html', indexHtml);
    if (path === '/bundle.js') return send('text/javascript', bundle.js);
    const wasm = /^\/wasm\/([\w.-]+\.wasm)$/.exec(path)?.[1];
    if (wasm && WASM_FILES.includes(wasm))
      return send('application/wasm', readFileSync(join(WASM_DIR, wasm)));
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end(`not found: ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  if (!RUN_IN_BROWSER) return;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or name ` +
        'another binary with GENZOO_CHROMIUM',
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Loads the app in a fresh browser context (own IndexedDB, own tfjs) and returns the page. */
async function openApp() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => logs.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${base}/`);
  await page
    .waitForFunction(() => window.genzooReady === true, undefined, { timeout: 30_000 })
    .catch(() => {
      throw new Error(`the app did not start:\n${[...pageErrors, ...logs].join('\n')}`);
    });
  return { context, page, logs, pageErrors };
}

function wasmRequests(): Record<string, number> {
  return Object.fromEntries(WASM_FILES.map((file) => [file, requests.get(`/wasm/${file}`) ?? 0]));
}

describe('the browser bundle', () => {
  it('bundles with zero errors and no Node built-in (no externals, no stubs)', ({ task }) => {
    expect(bundle.errors).toEqual([]);
    const nodeWarnings = bundle.warnings.filter((w) =>
      /node|built-in|builtin|require/i.test(describeMessages([w])),
    );
    expect(describeMessages(nodeWarnings)).toBe('');
    const inputs = Object.keys(bundle.metafile.inputs);
    const builtins = inputs.filter((path) => NODE_BUILTIN.test(path));
    expect(builtins.map((path) => importChain(bundle.metafile, path))).toEqual([]);
    // Modules a package itself disables for browsers (its package.json "browser" field: tfjs-core's
    // node-fetch/util/crypto, tfjs-backend-wasm's fs/path/worker_threads for its Node build) are theirs,
    // never a genzoo package's.
    const disabled = inputs.filter((path) => path.startsWith('(disabled):'));
    for (const path of disabled) {
      const importers = Object.entries(bundle.metafile.inputs)
        .filter(([, input]) => input.imports.some((imp) => imp.path === path))
        .map(([importer]) => importer);
      expect(importers.length, path).toBeGreaterThan(0);
      for (const importer of importers)
        expect(importer, importChain(bundle.metafile, path)).toMatch(/node_modules\//);
    }
    // Every family and the neutral entries are in; no Node entry (`…/node`) of any package is.
    for (const name of ['core', 'datasets', 'backends', 'vae', 'flows', 'autoregressive', 'gan']) {
      expect(inputs.some((path) => path.includes(`packages/${name}/dist/`))).toBe(true);
    }
    expect(inputs.filter((path) => /packages\/\w+\/dist\/node\.js$/.test(path))).toEqual([]);
    expect(inputs.filter((path) => /tfjs-gradients\.node/.test(path))).toEqual([]);

    const raw = bundle.js.byteLength;
    const gzip = gzipSync(bundle.js, { level: 9 }).byteLength;
    const largest = Object.entries(bundle.metafile.outputs)[0][1].inputs;
    const byPackage = new Map<string, number>();
    for (const [path, { bytesInOutput }] of Object.entries(largest)) {
      const name =
        /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(path)?.[1] ??
        /packages\/(\w+)\//.exec(path)?.[1]?.replace(/^/, '@genzoo/') ??
        path;
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
    const sizes = {
      rawBytes: raw,
      gzipBytes: gzip,
      modules: inputs.length,
      disabledByPackages: disabled,
      byPackage: Object.fromEntries([...byPackage].sort((a, b) => b[1] - a[1])),
    };
    // In the test output and in the JSON report (.vitest-results.json: the test's meta).
    console.log(`browser bundle: ${JSON.stringify(sizes, null, 2)}`);
    task.meta.bundle = { rawBytes: raw, gzipBytes: gzip, modules: inputs.length };
    expect(raw).toBeGreaterThan(0);
  });
});

function checkFamilies(report: ProofReport): void {
  expect(report.families.map((f) => f.family)).toEqual(FAMILIES);
  for (const f of report.families) {
    const where = `${report.backend.name} ${f.model}`;
    // Trained: finite losses every step, weights moved, and the likelihood of the data went up.
    expect(Object.keys(f.lossFirst).length, where).toBeGreaterThan(0);
    for (const loss of [...Object.values(f.lossFirst), ...Object.values(f.lossLast)]) {
      expect(Number.isFinite(loss), where).toBe(true);
    }
    expect(f.maxWeightChange, where).toBeGreaterThan(0);
    if (f.likelihood === 'none') {
      expect(f.nllBefore, where).toBeNull();
    } else {
      expect(Number.isFinite(f.nllBefore) && Number.isFinite(f.nllAfter), where).toBe(true);
      expect(f.nllAfter!, where).toBeLessThan(f.nllBefore!);
    }
    // Sampled: 8 finite examples of the data's shape.
    expect(f.sampleShape, where).toEqual([8, ...f.eventShape]);
    expect(f.samplesFinite, where).toBe(true);
    // Saved and loaded: the same model from the bytes (memory) and from IndexedDB.
    expect(Object.keys(f.checkpointBytes).sort(), where).toEqual([
      'manifest.json',
      'optimizer.bin',
      'weights.bin',
    ]);
    expect(f.checkpointBytes['weights.bin'], where).toBeGreaterThan(0);
    expect(f.loadedSampleDiff, where).toBe(0);
    expect(f.indexedDbSampleDiff, where).toBe(0);
    if (f.likelihood === 'none') expect(f.loadedLikelihoodDiff, where).toBeNull();
    else {
      expect(f.loadedLikelihoodDiff, where).toBe(0);
      expect(f.indexedDbLikelihoodDiff, where).toBe(0);
    }
    expect(f.indexedDbLocation, where).toMatch(/^indexeddb:genzoo-e2e-/);
    // Resumed exactly from IndexedDB.
    expect(f.resumedFromStep, where).toBe(3);
    expect(f.resumeWeightDiff, where).toBe(0);
    // No tensor leaked.
    expect(f.tensorsAfter, where).toBe(f.tensorsBefore);
  }
}

function summary(report: ProofReport, wallSeconds: number): string {
  const rows = report.families.map((f: FamilyReport) => ({
    model: f.model,
    loss: `${JSON.stringify(f.lossFirst)} → ${JSON.stringify(f.lossLast)}`,
    nll: f.nllBefore === null ? 'n/a' : `${f.nllBefore.toFixed(3)} → ${f.nllAfter?.toFixed(3)}`,
    sample: f.sampleShape.join('×'),
    checkpoint: f.checkpointBytes,
    diffs: [f.loadedSampleDiff, f.loadedLikelihoodDiff, f.indexedDbSampleDiff, f.resumeWeightDiff],
    tensors: `${f.tensorsBefore} → ${f.tensorsAfter} (${JSON.stringify(f.tensorTrace)})`,
    seconds: Number(f.seconds.toFixed(2)),
  }));
  return `${report.backend.name} (${JSON.stringify(report.backend)}), ${wallSeconds.toFixed(1)} s wall:\n${rows
    .map((r) => JSON.stringify(r))
    .join('\n')}`;
}

describe.skipIf(!RUN_IN_BROWSER)('the proof in headless Chromium', () => {
  it('on wasm: every family trains, samples, saves, loads and resumes; the .wasm comes from the server', async ({
    task,
  }) => {
    const before = wasmRequests();
    const { context, page, pageErrors } = await openApp();
    try {
      const start = performance.now();
      const report = await page.evaluate((wasmBase) => window.genzooProof('wasm', wasmBase), `${base}/wasm/`);
      const wall = (performance.now() - start) / 1000;
      console.log(summary(report, wall));
      task.meta.proof = { wallSeconds: wall, report };
      expect(pageErrors).toEqual([]);
      expect(report.backend.name).toBe('wasm');
      expect(report.activeBackend).toBe('wasm');
      expect(report.backend.kernelPack.length).toBeGreaterThan(0);
      const fetched = Object.entries(wasmRequests()).filter(([file, n]) => n > (before[file] ?? 0));
      // One binary (SIMD, or plain without SIMD; threads need cross-origin isolation), from our server.
      expect(fetched.map(([file]) => file)).toEqual([
        report.backend.simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm',
      ]);
      checkFamilies(report);
    } finally {
      await context.close();
    }
  });

  it('on cpu: every family trains, samples, saves, loads and resumes; no .wasm is fetched', async ({
    task,
  }) => {
    const before = wasmRequests();
    const { context, page, pageErrors } = await openApp();
    try {
      const start = performance.now();
      const report = await page.evaluate((wasmBase) => window.genzooProof('cpu', wasmBase), `${base}/wasm/`);
      const wall = (performance.now() - start) / 1000;
      console.log(summary(report, wall));
      task.meta.proof = { wallSeconds: wall, report };
      expect(pageErrors).toEqual([]);
      expect(report.backend.name).toBe('cpu');
      expect(report.activeBackend).toBe('cpu');
      expect(wasmRequests()).toEqual(before);
      checkFamilies(report);
    } finally {
      await context.close();
    }
  });

  it('a wrong wasmPaths is a BackendError naming the missing files, not a silent fallback', async () => {
    const { context, page } = await openApp();
    try {
      const wrong = `${base}/not-here/`;
      const outcome = await page.evaluate((wasmBase) => window.genzooWrongWasm(wasmBase), wrong);
      console.log(`wrong wasmPaths: ${outcome.name} (error.name ${outcome.errorName}): ${outcome.message}`);
      expect(outcome.name).toBe('BackendError');
      expect(outcome.message).toContain('wasm');
      expect(outcome.message).toContain('tfjs-backend-wasm.wasm');
      expect(outcome.message).toContain(wrong);
      expect(outcome.backend ?? null).not.toBe('cpu');
      expect([...requests.keys()].some((path) => path.startsWith('/not-here/'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
