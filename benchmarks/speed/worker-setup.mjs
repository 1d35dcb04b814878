// What each gradient worker thread of a speed measurement imports: the main thread's backend and the
// plugins the CLI loads (as `genzoo train --workers` does).
import { initBackend } from '@genzoo/backends';
import { loadPlugins } from '@genzoo/cli';

export async function setupWorker({ backend }) {
  await initBackend({ force: backend, quiet: true });
  await loadPlugins();
}
