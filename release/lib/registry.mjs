// A throwaway Verdaccio: started on a free port with its own config and storage folder, no uplinks (it
// never reaches another registry), anonymous reads, publishing for one user the rehearsal creates.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findInstalled, readJson } from './packages.mjs';

/**
 * One HTTP request on its own connection (no keep-alive, so no reused socket the server has just closed):
 * resolves to { status, body }; socket errors are retried.
 */
export async function http(url, { method = 'GET', headers = {}, body, retries = 3 } = {}) {
  const payload =
    body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method,
            agent: false,
            headers: {
              ...headers,
              ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            },
          },
          (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', reject);
          },
        );
        req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${url}: no answer in 120 s`)));
        req.on('error', reject);
        req.end(payload);
      });
    } catch (error) {
      if (attempt >= retries) throw new Error(`${method} ${url} failed: ${error.message}`);
      await sleep(500 * attempt);
    }
  }
}

let signalsHandled = false;
/** Ctrl-C or a CI cancel: exit through process.exit so the 'exit' handlers stop Verdaccio. */
function handleSignals() {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function verdaccioBin(root) {
  const dir = findInstalled(root, 'verdaccio');
  if (dir === null) throw new Error('verdaccio is not installed: run pnpm install --frozen-lockfile');
  const { bin } = readJson(join(dir, 'package.json'));
  return join(dir, typeof bin === 'string' ? bin : bin.verdaccio);
}

function configYaml(workDir) {
  const access = '    access: $all\n    publish: $authenticated\n    unpublish: $authenticated\n';
  return [
    `storage: ${JSON.stringify(join(workDir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(workDir, 'htpasswd'))}`,
    '    max_users: 10',
    'uplinks: {}',
    'packages:',
    "  '@*/*':",
    access,
    "  '**':",
    access,
    'max_body_size: 500mb',
    // JWT tokens: checked by signature, not by hashing the password again on every request.
    'security:',
    '  api:',
    '    jwt:',
    '      sign:',
    '        expiresIn: 1d',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

/**
 * Starts Verdaccio and resolves to { url, stop(), logFile } once it answers /-/ping. `stop` is safe to call
 * more than once; the process is also killed when this process exits.
 */
export async function startVerdaccio(root, workDir) {
  mkdirSync(join(workDir, 'storage'), { recursive: true });
  const configFile = join(workDir, 'config.yaml');
  writeFileSync(configFile, configYaml(workDir));
  const logFile = join(workDir, 'verdaccio.log');
  const bin = verdaccioBin(root);
  handleSignals();
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const log = openSync(logFile, 'a');
    const child = spawn(process.execPath, [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    let exited = null;
    const exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        exited = { code, signal };
        resolve();
      });
    });
    const killOnExit = () => child.kill('SIGKILL');
    process.on('exit', killOnExit);
    const stop = async () => {
      process.off('exit', killOnExit);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    };
    const deadline = Date.now() + 60_000;
    while (!exited && Date.now() < deadline) {
      try {
        const response = await http(`${url}-/ping`, { retries: 1 });
        if (response.status === 200) return { url, port, pid: child.pid, stop, logFile };
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    await stop();
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    lastError = new Error(
      `verdaccio ${exited ? `exited (${exited.code ?? exited.signal})` : 'did not answer within 60 s'} on port ${port}; log:\n${tail}`,
    );
    if (!/EADDRINUSE/.test(tail)) break;
  }
  throw lastError;
}

/** Creates a user and returns its token (Verdaccio's htpasswd plugin registers on first login). */
export async function addUser(url, name, password) {
  const response = await http(`${url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: 'PUT',
    body: {
      _id: `org.couchdb.user:${name}`,
      name,
      password,
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    },
  });
  let body = {};
  try {
    body = JSON.parse(response.body);
  } catch {
    // reported below
  }
  if (response.status >= 300 || !body.token)
    throw new Error(`adding user ${name} failed: ${response.status} ${response.body}`);
  return body.token;
}

/**
 * Publishes one version from a manifest and its tarball through the registry API, the request npm publish
 * sends (used for the third-party packages; the genzoo packages go through npm publish itself).
 */
export async function putPackage(url, token, manifest, tarball) {
  const { name, version } = manifest;
  const filename = `${name}-${version}.tgz`;
  const versionManifest = {
    ...manifest,
    _id: `${name}@${version}`,
    dist: {
      shasum: createHash('sha1').update(tarball).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
      tarball: `${url}${name}/-/${filename}`,
    },
  };
  const body = {
    _id: name,
    name,
    description: manifest.description,
    'dist-tags': { latest: version },
    versions: { [version]: versionManifest },
    access: 'public',
    _attachments: {
      [filename]: {
        content_type: 'application/octet-stream',
        data: tarball.toString('base64'),
        length: tarball.length,
      },
    },
  };
  const target = `${url}${name.replace('/', '%2f')}`;
  const response = await http(target, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body });
  if (response.status === 409) {
    // A retried request whose first try went through: fine if that exact version is there now.
    const existing = await http(target, { headers: { authorization: `Bearer ${token}` } });
    if (existing.status === 200 && JSON.parse(existing.body).versions?.[version]) return;
  }
  if (response.status >= 300)
    throw new Error(`publishing ${name}@${version} failed: ${response.status} ${response.body}`);
}
