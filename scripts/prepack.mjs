// Run by `npm pack` in a published package's folder (its prepack and postpack scripts): puts
// the repository's LICENSE beside the package's own files, so that every tarball carries it,
// and removes it again afterwards (`--clean`). The copy is never committed.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(process.cwd(), 'LICENSE');
if (process.argv.includes('--clean')) {
  rmSync(target, { force: true });
} else {
  if (!existsSync(join(process.cwd(), 'dist', 'index.js'))) {
    throw new Error(`${process.cwd()} has no build: run \`npm run build\` before packing`);
  }
  copyFileSync(join(root, 'LICENSE'), target);
}
