import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// Two entries: the platform-neutral plugin and `@genzoo/vq-vae/node` (the `vq-codes` dataset). Shared code
// goes to common chunks (also in the CommonJS build), so both entries see one copy of the classes.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/node.ts'], splitting: true }));
