import { createRequire } from 'node:module';

/** The CLI package's version, read from its package.json (works from both ESM and CJS builds). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;
