// Builds the JavaScript of one published package (run in its folder by its `build` script):
// an ES module build (`dist/*.mjs`, with source maps) and a CommonJS build (`dist/*.js`), both
// split into chunks so that the package's entries share one copy of every module. The
// declarations come from tsup afterwards (tsup.config.ts). See docs/packaging.md for why.
//
// The CommonJS build is the same bundle written as ES modules, each file then converted to
// CommonJS by esbuild: esbuild splits only ES module output. tsup's own CommonJS splitting
// converts with sucrase, which rewrites optional chaining and class fields into helper calls
// that allocate on every use; measured, that made local asks two to five times slower.
//
// What a package builds is in its build.json: `entry` (output name to source file) and
// `bundleIntoCommonJs` (ES-module-only dependencies copied into the CommonJS build).
import { build, transform } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const packageJson = JSON.parse(readFileSync('package.json', 'utf8'));
const { entry, bundleIntoCommonJs = [] } = JSON.parse(readFileSync('build.json', 'utf8'));
const dependencies = Object.keys(packageJson.dependencies ?? {});

/** Every import of `names`, subpaths included (`nact/lib/system-map.js`), stays an import. */
const externalOf = (names) => names.flatMap((name) => [name, `${name}/*`]);

const common = {
  entryPoints: entry,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.json',
  // Error names and messages use class names (`new.target.name`): keep them through bundling.
  keepNames: true,
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
};

rmSync('dist', { recursive: true, force: true });

await build({
  ...common,
  external: externalOf(dependencies),
  outExtension: { '.js': '.mjs' },
  sourcemap: true,
  sourcesContent: true,
});

const commonJs = await build({
  ...common,
  external: externalOf(dependencies.filter((name) => !bundleIntoCommonJs.includes(name))),
  write: false,
});
for (const file of commonJs.outputFiles) {
  const { code } = await transform(file.text, { format: 'cjs', platform: 'node', target: 'node20', loader: 'js' });
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, code);
}
process.stdout.write(
  `${packageJson.name}: built ${Object.keys(entry).join(', ')} as ES modules and CommonJS in ${join(process.cwd(), 'dist')}\n`,
);
