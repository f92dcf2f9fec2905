import type { Options } from 'tsup';

/** What differs between the published packages' builds. */
export interface PackageBuild {
  /** Entry points by output name: `index`, and `internal` where the package has one. */
  readonly entry: Record<string, string>;
  /** ES-module-only dependencies to bundle into the CommonJS build (see below). */
  readonly bundleIntoCommonJs?: readonly string[];
}

/**
 * The build of every published package: CommonJS (`dist/*.js`, `dist/*.d.ts`) and ES modules
 * (`dist/*.mjs`, `dist/*.d.mts`), so that `require`, `import`, bundlers and every
 * `moduleResolution` find code and types of their own format.
 *
 * superjson (with its dependencies) is published only as an ES module. A CommonJS program can
 * `require` it only on Node 20.19+ and never inside jest's module system, which is what a
 * stock ts-jest project runs. So the CommonJS build carries its own copy of it; the ES module
 * build imports the package. Both builds split shared code into chunks, so the `index` and
 * `internal` entries of one format share one copy of every class and symbol.
 *
 * The ES module build ships source maps that carry their sources (`sourcesContent`), since
 * `src/` is not published. The CommonJS build ships none: tsup makes its chunks by converting
 * the ES module output, and the maps of that step name the build's own files by absolute path
 * (and superjson's maps name sources superjson does not publish). Its code is readable as it
 * is: not minified, names kept, so a stack trace points at lines that exist.
 * Declarations drop members marked `@internal` (`stripInternal` in the package tsconfig).
 */
export function packageBuild({ entry, bundleIntoCommonJs = [] }: PackageBuild): Options[] {
  const common: Options = {
    entry,
    outDir: 'dist',
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: false,
    // Error names and messages use class names (`new.target.name`); keep them through bundling.
    keepNames: true,
    dts: true,
    tsconfig: 'tsconfig.json',
  };
  return [
    { ...common, format: ['cjs'], noExternal: [...bundleIntoCommonJs], sourcemap: false },
    { ...common, format: ['esm'], sourcemap: true },
  ];
}
