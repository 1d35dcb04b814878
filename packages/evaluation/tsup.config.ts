import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// Three entries: the library, its Node part, and the batch task gradient workers import by URL.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/node.ts', 'src/evaluate-task.ts'] }));
