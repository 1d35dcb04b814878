import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// Two entries: the library (with types) and the `genzoo` bin.
export default defineConfig(
  packageBuild({ entry: ['src/index.ts', 'src/bin.ts'], dts: { entry: 'src/index.ts' } }),
);
