import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

/**
 * The declarations of a published package, from its build.json: `dist/*.d.ts` for the
 * CommonJS build and `dist/*.d.mts` for the ES module build, each entry's declarations
 * bundled, shared ones split into a chunk so that both entries name the same declarations.
 * Members marked `@internal` are dropped (`stripInternal` in the package's tsconfig.json).
 *
 * The JavaScript is built by scripts/buildPackage.mjs, which says why not by tsup.
 */
export function packageDeclarations(): Options {
  const { entry } = JSON.parse(readFileSync('build.json', 'utf8')) as { entry: Record<string, string> };
  return {
    entry,
    outDir: 'dist',
    format: ['cjs', 'esm'],
    dts: { only: true },
    tsconfig: 'tsconfig.json',
  };
}
