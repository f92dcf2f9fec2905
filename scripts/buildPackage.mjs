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
/**
 * Appended to each CommonJS file with exports. esbuild's CommonJS exports are getters that
 * read the module's bindings (as ES modules' live bindings), set up before the module's code
 * runs so that a circular `require` sees them. All of them share one getter function, so every
 * read of an import from another file of the package, or from another package, is a
 * megamorphic call, uninlined: 2% of the CPU of each side of remote asks, measured. Once the
 * file has run, none of its bindings changes again, so its exports are replaced by an
 * object of plain, read-only values; a file that required it during a cycle keeps the getters.
 */
const PLAIN_EXPORTS = `
module.exports = ((live) => {
  const plain = Object.defineProperty({}, "__esModule", { value: true });
  for (const key of Object.keys(live)) plain[key] = live[key];
  return Object.freeze(plain);
})(module.exports);
`;

for (const file of commonJs.outputFiles) {
  const { code } = await transform(file.text, { format: 'cjs', platform: 'node', target: 'node20', loader: 'js' });
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, code.includes('__toCommonJS(') ? code + PLAIN_EXPORTS : code);
}
process.stdout.write(
  `${packageJson.name}: built ${Object.keys(entry).join(', ')} as ES modules and CommonJS in ${join(process.cwd(), 'dist')}\n`,
);
