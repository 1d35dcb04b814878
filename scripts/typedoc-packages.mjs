// TypeDoc's entry points (typedoc.json extends this file): every published package under packages/ —
// each folder with a package.json that is not `"private": true` — so a new package is documented as
// soon as it exists, and an internal one never is. Each package's own entry files are set by
// `packageOptions` in typedoc.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const packages = readdirSync(join(root, 'packages'))
  .sort()
  .map((name) => join(root, 'packages', name))
  .filter((dir) => {
    const path = join(dir, 'package.json');
    return existsSync(path) && JSON.parse(readFileSync(path, 'utf8')).private !== true;
  });

export default { entryPoints: packages };
