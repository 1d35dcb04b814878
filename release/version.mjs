// `changeset version` with one rule on top: a package's first release is the version in its package.json.
// A public package that has no CHANGELOG.md yet has never been released; changesets would bump it anyway
// (0.1.0 → 0.2.0 for a minor changeset, → 1.0.0 when a peer it depends on moves), so this puts its version
// (and any internal range that changesets rewrote to the bumped version) back and titles its new
// CHANGELOG with the package.json version. Private packages are neither versioned nor given a CHANGELOG
// (.changeset/config.json: privatePackages { version: false, tag: false }); this checks that too.
//
//   node release/version.mjs [--cwd <workspace root>]      (pnpm run release:version)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findInstalled, readJson, workspacePackages } from './lib/packages.mjs';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

/** Runs `changeset version` in `cwd` and applies the first-release rule; returns what happened per package. */
export function versionPackages(cwd, { toolsRoot = resolve(import.meta.dirname, '..') } = {}) {
  const before = workspacePackages(cwd).map((pkg) => ({
    ...pkg,
    hadChangelog: existsSync(join(pkg.dir, 'CHANGELOG.md')),
  }));
  const firstReleases = new Map(
    before.filter((pkg) => !pkg.private && !pkg.hadChangelog).map((pkg) => [pkg.name, pkg]),
  );

  const cli = findInstalled(toolsRoot, '@changesets/cli');
  if (cli === null) throw new Error('@changesets/cli is not installed: run pnpm install --frozen-lockfile');
  const result = spawnSync(process.execPath, [join(cli, 'bin.js'), 'version'], { cwd, encoding: 'utf8' });
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.status !== 0)
    throw new Error(`changeset version failed (exit ${result.status ?? result.signal})`);

  // What changesets bumped each first release to, before anything is put back.
  const bumped = new Map();
  for (const pkg of before) {
    if (firstReleases.has(pkg.name)) bumped.set(pkg.name, readJson(join(pkg.dir, 'package.json')).version);
  }
  const outcome = [];
  const problems = [];
  for (const pkg of before) {
    const file = join(pkg.dir, 'package.json');
    const manifest = readJson(file);
    let changed = false;
    const first = firstReleases.get(pkg.name);
    if (first && manifest.version !== pkg.version) {
      manifest.version = pkg.version;
      changed = true;
    }
    for (const field of DEPENDENCY_FIELDS) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        const original = pkg.manifest[field]?.[name];
        if (firstReleases.has(name) && original !== undefined && range !== original) {
          manifest[field][name] = original;
          changed = true;
        }
      }
    }
    if (changed) writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    // The new CHANGELOG sections: the heading and the "Updated dependencies" lines name the bumped versions.
    const changelog = join(pkg.dir, 'CHANGELOG.md');
    if (existsSync(changelog)) {
      let text = readFileSync(changelog, 'utf8');
      const original = text;
      if (first) text = text.replace(`\n## ${bumped.get(pkg.name)}\n`, `\n## ${pkg.version}\n`);
      for (const [name, to] of bumped) {
        text = text.replaceAll(`- ${name}@${to}\n`, `- ${name}@${firstReleases.get(name).version}\n`);
      }
      if (text !== original) writeFileSync(changelog, text);
    }
    const hasChangelog = existsSync(join(pkg.dir, 'CHANGELOG.md'));
    if (pkg.private && (manifest.version !== pkg.version || (hasChangelog && !pkg.hadChangelog))) {
      problems.push(`private ${pkg.name} was versioned or given a CHANGELOG`);
    }
    outcome.push({
      name: pkg.name,
      private: pkg.private,
      from: pkg.version,
      to: manifest.version,
      firstRelease: !!first,
      changelog: hasChangelog && !pkg.hadChangelog ? 'new' : hasChangelog ? 'updated or kept' : 'none',
    });
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return outcome;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const at = process.argv.indexOf('--cwd');
  const cwd = resolve(at === -1 ? resolve(import.meta.dirname, '..') : process.argv[at + 1]);
  try {
    for (const row of versionPackages(cwd)) {
      const note = row.private ? 'private: not versioned' : row.firstRelease ? 'first release' : '';
      console.log(
        `${row.name}: ${row.from} → ${row.to}, CHANGELOG ${row.changelog}${note ? ` (${note})` : ''}`,
      );
    }
  } catch (error) {
    console.error(`release:version failed: ${error.message}`);
    process.exit(1);
  }
}
