import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// Three entries: the library (with types), the `genzoo` bin, and the module each gradient worker thread
// of a data-parallel run imports (src/worker-setup.ts).
export default defineConfig(
  packageBuild({
    entry: ['src/index.ts', 'src/bin.ts', 'src/worker-setup.ts'],
    dts: { entry: 'src/index.ts' },
  }),
);
