// Release rehearsal: publishes every public workspace package (packages/*, found by reading their
// package.json files) to a throwaway local Verdaccio, then installs them by name in fresh projects and runs
// what a user would run:
//
//   1. build (nx, cached) and `pnpm pack` each public package (workspace: ranges become real versions);
//   2. start Verdaccio on a free port with a temp config and storage and no uplinks, so nothing can come
//      from another registry; publish the third-party packages the genzoo packages need, re-packed from
//      the workspace's node_modules (no network), then the genzoo tarballs with `npm publish`;
//   3. in a fresh project `npm install @genzoo/vae @genzoo/datasets @genzoo/cli`, every genzoo package
//      the README examples import, and the tfjs peers, by name; check that every package came from the
//      local registry and the tree is valid (`npm ls --all`);
//   4. run the README code blocks marked ```js rehearsal-esm and ```js rehearsal-cjs (their last stdout
//      line is a JSON object; every value must be finite, none null) and `npx --no genzoo list`;
//   5. in a second fresh project install @genzoo/vae as its README's install line says (or with its
//      required peers): report its size, import and require it.
//
// Verdaccio is stopped at the end, also on failure. Usage:
//   node release/rehearsal.mjs [--skip-build] [--keep]     (pnpm run release:rehearsal)
// --skip-build: the packages are already built; --keep: keep the temp folder (kept anyway on failure).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compareVersions, readJson, thirdPartyClosure, workspacePackages } from './lib/packages.mjs';
import { collectRehearsalBlocks, importedPackages } from './lib/readme-blocks.mjs';
import { addUser, putPackage, startVerdaccio } from './lib/registry.mjs';
import { changesetsScratchCopy } from './lib/scratch.mjs';
import { packDirectory, readTarball } from './lib/tar.mjs';
import { versionPackages } from './version.mjs';

const root = resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), 'genzoo-rehearsal-'));
const timings = [];
const report = [];
const started = performance.now();

class RehearsalError extends Error {}
function fail(message) {
  throw new RehearsalError(message);
}

async function phase(name, fn) {
  const start = performance.now();
  console.log(`\n--- ${name}`);
  try {
    return await fn();
  } finally {
    const seconds = (performance.now() - start) / 1000;
    timings.push([name, seconds]);
    console.log(`    ${name}: ${seconds.toFixed(1)} s`);
  }
}

function tail(text, lines = 40) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs a command to completion; throws with its output on a non-zero exit. */
function run(
  command,
  commandArgs,
  { cwd = root, env = process.env, timeoutMs = 300_000, echo = false } = {},
) {
  const result = spawnSync(command, commandArgs, {
    cwd,
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (echo && output.trim()) console.log(output.trimEnd());
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    fail(`\`${command} ${commandArgs.join(' ')}\` (in ${cwd}) failed: ${why}\n${tail(output)}`);
  }
  return result;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function directorySize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function duSize(dir) {
  const du = spawnSync('du', ['-sh', dir], { encoding: 'utf8' });
  return du.status === 0 ? du.stdout.split(/\s/)[0] : `${(directorySize(dir) / 1024 / 1024).toFixed(1)}M`;
}

/** npm's environment: this run's registry, config files, cache; nothing inherited from pnpm or the user. */
function npmEnv(registry) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...env,
    npm_config_registry: registry,
    npm_config_userconfig: join(work, 'npmrc'),
    npm_config_globalconfig: join(work, 'global-npmrc'),
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    npm_config_progress: 'false',
  };
}

function freshProject(name) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`,
  );
  return dir;
}

/** Every package in the project's lockfile must have come from `registry`. */
function checkResolvedFrom(dir, registry) {
  const lock = readJson(join(dir, 'package-lock.json'));
  const foreign = Object.entries(lock.packages ?? {})
    .filter(
      ([path, entry]) => path !== '' && !entry.link && !String(entry.resolved ?? '').startsWith(registry),
    )
    .map(([path, entry]) => `${path} (${entry.resolved ?? 'no resolved URL'})`);
  if (foreign.length > 0)
    fail(`packages installed from somewhere else than ${registry}:\n  ${foreign.join('\n  ')}`);
  return Object.keys(lock.packages).length - 1;
}

/** The last stdout line of a rehearsal example, parsed: a JSON object with only finite values. */
function checkExampleOutput(label, stdout) {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let value;
  try {
    value = JSON.parse(last);
  } catch {
    fail(`${label}: the last stdout line is not JSON: ${JSON.stringify(last)}\n${tail(stdout)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(`${label}: ${last} is not a JSON object`);
  const bad = [];
  const visit = (v, path) => {
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) bad.push(path);
    else if (typeof v === 'object') for (const [k, child] of Object.entries(v)) visit(child, `${path}.${k}`);
  };
  visit(value, '$');
  if (bad.length > 0) fail(`${label}: ${last} has null or non-finite values at ${bad.join(', ')}`);
  return last;
}

async function main() {
  console.log(`release rehearsal in ${work}`);
  const all = workspacePackages(root);
  const published = all.filter((pkg) => !pkg.private);
  const workspaceNames = new Set(all.map((pkg) => pkg.name));
  const privateNames = new Set(all.filter((pkg) => pkg.private).map((pkg) => pkg.name));
  console.log(`public packages: ${published.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ')}`);
  console.log(`private (not published): ${[...privateNames].join(', ') || 'none'}`);
  for (const pkg of published) {
    const onPrivate = Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }).filter(
      (n) => privateNames.has(n),
    );
    if (onPrivate.length > 0) fail(`${pkg.name} depends on private package(s) ${onPrivate.join(', ')}`);
  }

  const blocks = collectRehearsalBlocks(root, all);
  for (const kind of ['esm', 'cjs']) {
    if (!blocks.some((block) => block.kind === kind)) {
      fail(`no README code block is marked \`rehearsal-${kind}\` (a fence like \`\`\`js rehearsal-${kind})`);
    }
  }

  await phase('changeset version in a scratch copy (release:version)', () => {
    let rows;
    try {
      rows = versionPackages(changesetsScratchCopy(root, join(work, 'changesets')), { toolsRoot: root });
    } catch (error) {
      fail(`release:version: ${error.message}`);
    }
    for (const row of rows) {
      if (row.firstRelease && row.to !== row.from)
        fail(`${row.name}: first release became ${row.to}, not ${row.from}`);
      const note = row.private
        ? 'private: not versioned, no CHANGELOG'
        : row.firstRelease
          ? 'first release'
          : '';
      console.log(
        `${row.name}: ${row.from} → ${row.to}, CHANGELOG ${row.changelog}${note ? ` (${note})` : ''}`,
      );
    }
  });

  if (!args.has('--skip-build'))
    await phase('build', () => run('pnpm', ['run', 'build'], { timeoutMs: 600_000 }));

  const tarballs = await phase('pack (pnpm pack)', () =>
    published.map((pkg) => {
      const destination = join(work, 'tarballs', pkg.folder);
      mkdirSync(destination, { recursive: true });
      run('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir });
      const files = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
      if (files.length !== 1)
        fail(`pnpm pack of ${pkg.name} left ${files.length} tarballs in ${destination}`);
      const path = join(destination, files[0]);
      const buffer = readFileSync(path);
      const contents = readTarball(buffer);
      const manifestText = contents.get('package.json')?.toString('utf8');
      if (!manifestText) fail(`${path} has no package.json`);
      const manifest = JSON.parse(manifestText);
      if (manifest.name !== pkg.name || manifest.version !== pkg.version) {
        fail(`${path} holds ${manifest.name}@${manifest.version}, expected ${pkg.name}@${pkg.version}`);
      }
      if (manifestText.includes('workspace:')) fail(`${path}: package.json still has workspace: ranges`);
      console.log(`${pkg.name}@${pkg.version}: ${files[0]}, ${kib(buffer.length)}, ${contents.size} files`);
      return { pkg, path, size: buffer.length, files: contents.size };
    }),
  );

  const closure = thirdPartyClosure(published, workspaceNames);
  if (closure.missing.length > 0) {
    fail(`required dependencies are not installed in the workspace: ${closure.missing.join(', ')}`);
  }
  console.log(
    `third-party packages: ${closure.packages.length}; optional ones not installed here, left out: ${closure.skipped.join(', ') || 'none'}`,
  );

  const registry = await phase('start verdaccio', () => startVerdaccio(root, work));
  try {
    console.log(`verdaccio ${registry.url} (pid ${registry.pid}), storage ${join(work, 'storage')}`);
    const token = await addUser(registry.url, 'rehearsal', 'rehearsal-password');
    const host = registry.url.replace(/^https?:/, '');
    writeFileSync(join(work, 'npmrc'), `registry=${registry.url}\n${host}:_authToken=${token}\n`);
    writeFileSync(join(work, 'global-npmrc'), '');
    const env = npmEnv(registry.url);

    const thirdPartyBytes = await phase('publish third-party packages (from node_modules)', async () => {
      const byName = new Map();
      for (const pkg of closure.packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
      let bytes = 0;
      const queue = [...byName.values()];
      const worker = async () => {
        for (let versions = queue.shift(); versions; versions = queue.shift()) {
          versions.sort((a, b) => compareVersions(a.version, b.version));
          for (const pkg of versions) {
            const bundled = pkg.manifest.bundleDependencies ?? pkg.manifest.bundledDependencies;
            const tarball = packDirectory(pkg.dir, { keepNodeModules: !!bundled && bundled.length !== 0 });
            bytes += tarball.length;
            await putPackage(registry.url, token, pkg.manifest, tarball);
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      console.log(`${closure.packages.length} versions of ${byName.size} packages, ${kib(bytes)}`);
      return bytes;
    });

    await phase('publish genzoo packages (npm publish)', () => {
      for (const { pkg, path } of tarballs) {
        run('npm', ['publish', path, '--access', 'public', '--ignore-scripts', '--tag', 'latest'], {
          cwd: work,
          env,
        });
        console.log(`published ${pkg.name}@${pkg.version}`);
      }
    });

    // The fresh project: the packages the task names, every genzoo package the README examples import,
    // and the peers those need, by name (peers pinned to the versions the workspace is tested with).
    const byName = new Map(published.map((pkg) => [pkg.name, pkg]));
    const exampleImports = [...new Set(blocks.flatMap((block) => importedPackages(block.code)))];
    const notPublished = exampleImports.filter((name) => name.startsWith('@genzoo/') && !byName.has(name));
    if (notPublished.length > 0)
      fail(`README examples import unpublished package(s): ${notPublished.join(', ')}`);
    const wanted = [
      ...new Set([
        '@genzoo/vae',
        '@genzoo/datasets',
        '@genzoo/cli',
        ...exampleImports.filter((n) => byName.has(n)),
      ]),
    ];
    /** Peers of the given genzoo packages and their genzoo dependencies: required, and optional ones present. */
    const peersOf = (names, { optional }) => {
      const seen = new Set();
      const peers = new Map();
      const visit = (name) => {
        if (seen.has(name) || !byName.has(name)) return;
        seen.add(name);
        const { manifest } = byName.get(name);
        for (const [peer] of Object.entries(manifest.peerDependencies ?? {})) {
          if (byName.has(peer)) continue;
          const isOptional = !!manifest.peerDependenciesMeta?.[peer]?.optional;
          const installed = closure.packages
            .filter((p) => p.name === peer)
            .sort((a, b) => compareVersions(b.version, a.version))[0];
          if (installed && (!isOptional || optional)) peers.set(peer, installed.version);
        }
        for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
      };
      names.forEach(visit);
      return [...peers].map(([name, version]) => `${name}@${version}`).sort();
    };
    const appPeers = peersOf(wanted, { optional: true });
    const app = freshProject('app');
    await phase(`npm install (fresh project): ${[...wanted, ...appPeers].join(' ')}`, () => {
      run('npm', ['install', ...wanted, ...appPeers], { cwd: app, env, timeoutMs: 300_000 });
      const count = checkResolvedFrom(app, registry.url);
      for (const pkg of published) {
        let installed;
        try {
          installed = readJson(join(app, 'node_modules', pkg.name, 'package.json')).version;
        } catch {
          continue; // not needed by this project
        }
        if (installed !== pkg.version) fail(`${pkg.name}: installed ${installed}, packed ${pkg.version}`);
      }
      run('npm', ['ls', '--all'], { cwd: app, env });
      console.log(
        `${count} packages, all from ${registry.url}; npm ls --all is clean; node_modules ${duSize(join(app, 'node_modules'))}`,
      );
    });

    const outputs = await phase('README examples (ESM and CJS)', () =>
      blocks.map((block, index) => {
        const file = join(app, `example-${index}.${block.kind === 'esm' ? 'mjs' : 'cjs'}`);
        writeFileSync(file, block.code);
        const label = `${block.source} rehearsal-${block.kind} block`;
        const start = performance.now();
        let result;
        try {
          result = run(process.execPath, [file], { cwd: app, env, timeoutMs: 180_000 });
        } catch (error) {
          fail(`${label} failed (the README code as it stands, run from ${file}):\n${error.message}`);
        }
        const line = checkExampleOutput(label, result.stdout);
        console.log(`${label} (${((performance.now() - start) / 1000).toFixed(1)} s): ${line}`);
        return { kind: block.kind, line };
      }),
    );
    const esm = outputs.filter((o) => o.kind === 'esm').map((o) => o.line);
    const cjs = outputs.filter((o) => o.kind === 'cjs').map((o) => o.line);
    if (esm.length === cjs.length && esm.every((line, i) => line === cjs[i])) {
      console.log('the ESM and CJS examples printed the same result');
    }

    await phase('npx --no genzoo list', () => {
      const result = run('npx', ['--no', 'genzoo', 'list'], { cwd: app, env, timeoutMs: 120_000 });
      const vae = byName.get('@genzoo/vae');
      const rows = result.stdout.split('\n').filter((line) => line.includes(vae.name));
      if (rows.length === 0 || !rows.every((row) => row.includes(vae.version))) {
        fail(`genzoo list shows no ${vae.name}@${vae.version} models:\n${tail(result.stdout)}`);
      }
      console.log(
        `genzoo list: ${rows.length} models from ${vae.name}@${vae.version}: ${rows.map((row) => row.split(/\s+/)[0]).join(', ')}`,
      );
    });

    // @genzoo/vae alone, with what its README's install line names beside it (or else its required peers).
    const vaeAlone = freshProject('vae-alone');
    const vae = byName.get('@genzoo/vae');
    const documented = readFileSync(join(vae.dir, 'README.md'), 'utf8').match(
      /^npm install (@genzoo\/vae(?: [^\s#]+)*)/m,
    );
    const vaeSpecs = documented
      ? documented[1].split(' ')
      : ['@genzoo/vae', ...peersOf(['@genzoo/vae'], { optional: false })];
    const vaePeers = vaeSpecs.slice(1);
    await phase(`npm install (second fresh project): ${vaeSpecs.join(' ')}`, () => {
      run('npm', ['install', ...vaeSpecs], { cwd: vaeAlone, env, timeoutMs: 300_000 });
      const count = checkResolvedFrom(vaeAlone, registry.url);
      run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "const m = await import('@genzoo/vae'); if (!m.vaePlugin) process.exit(1);",
        ],
        {
          cwd: vaeAlone,
          env,
        },
      );
      run(process.execPath, ['-e', "if (!require('@genzoo/vae').vaePlugin) process.exit(1);"], {
        cwd: vaeAlone,
        env,
      });
      const size = duSize(join(vaeAlone, 'node_modules'));
      report.push(
        `@genzoo/vae alone (+ ${vaePeers.join(', ')}${documented ? ', as its README installs it' : ''}): ${count} packages, node_modules ${size} (du -sh); import and require work`,
      );
    });

    report.unshift(
      ...tarballs.map(
        ({ pkg, size, files }) => `${pkg.name}@${pkg.version}: tarball ${kib(size)} (${files} files)`,
      ),
      `third-party packages re-packed from node_modules: ${closure.packages.length}, ${kib(thirdPartyBytes)}`,
    );
  } finally {
    await registry.stop();
    console.log('verdaccio stopped');
  }
}

try {
  await main();
  console.log('\n=== release rehearsal passed');
  for (const line of report) console.log(`  ${line}`);
  for (const [name, seconds] of timings) console.log(`  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  total`);
  if (args.has('--keep')) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
} catch (error) {
  console.error(
    `\n=== release rehearsal FAILED: ${error instanceof RehearsalError ? error.message : `${error.stack}${error.cause ? `\ncause: ${error.cause.stack ?? error.cause}` : ''}`}`,
  );
  console.error(`(temp folder kept: ${work})`);
  process.exitCode = 1;
}
