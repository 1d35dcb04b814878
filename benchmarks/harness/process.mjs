// Runs one benchmark entry in its own process and reads the JSON object on its last stdout line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The entries `--only` names: comma-separated items, each an entry id (that entry alone: `vae/x` does not
 * also pick `vae/x-conv`) or else a substring of ids.
 */
export function selectEntries(entries, only) {
  const items = String(only)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ids = new Set(entries.map((e) => e.id));
  return entries.filter((e) => items.some((item) => (ids.has(item) ? e.id === item : e.id.includes(item))));
}

/** @returns {Promise<{ rows?: object[], error?: string }>} */
export function runEntry(root, entry) {
  const args = entry.command ? entry.command : [join(root, entry.script), JSON.stringify(entry.args ?? {})];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: join(root, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        const reason = stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`;
        resolve({ error: reason });
        return;
      }
      try {
        const parsed = JSON.parse(last);
        resolve({ rows: entry.toRows ? entry.toRows(parsed) : parsed.rows });
      } catch {
        resolve({ error: `no JSON result on the last line of stdout: ${last.slice(0, 200)}` });
      }
    });
  });
}
