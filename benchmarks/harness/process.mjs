// Runs one benchmark entry in its own process and reads the JSON object on its last stdout line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The entries a run takes. Without `only`: every entry but those run only when asked (paper
 * reproductions), unless `all`. With `only`, comma-separated items: an item that is an entry id picks that
 * entry alone (`vae/x` does not also pick `vae/x-conv`), any other item the entries whose id contains it;
 * an entry run only when asked is picked by its id alone (or by substring too with `all`).
 */
export function selectEntries(entries, only, { all = false } = {}) {
  if (!only) return entries.filter((e) => all || !e.whenAsked);
  const items = String(only)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ids = new Set(entries.map((e) => e.id));
  const picks = (e, item) => (ids.has(item) ? e.id === item : e.id.includes(item) && (all || !e.whenAsked));
  return entries.filter((e) => items.some((item) => picks(e, item)));
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
