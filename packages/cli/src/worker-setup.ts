/**
 * What each gradient worker thread of a data-parallel `genzoo train` imports before it builds the model
 * (see `@genzoo/core`'s WorkerSetup): the main thread's backend and the same plugins the CLI loads.
 */
import { type BackendName, initBackend } from '@genzoo/backends';
import { loadPlugins } from './plugins.js';

export interface CliWorkerSetup {
  backend: BackendName;
}

export async function setupWorker(data: CliWorkerSetup): Promise<void> {
  await initBackend({ force: data.backend, quiet: true });
  await loadPlugins();
}
