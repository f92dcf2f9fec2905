/**
 * What may import what (`npm run deps`; part of `npm test`). Packages depend one way:
 * core <- transport <- runtime-nact <- testing <- examples, bench. Tests may use their own package, the
 * packages it depends on, the testing kit (@nact-rpc/testing) and the shared test/support, never
 * another package's tests.
 * No runtime import cycles anywhere.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A runtime import cycle: modules that load each other half-initialised. Type-only imports do not count.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-stands-alone',
      severity: 'error',
      comment: 'core imports no other package of the repository, no actor library and no networking.',
      from: { path: '^packages/core/src' },
      to: {
        path: [
          '^packages/(transport|runtime-nact|testing|examples|bench)/',
          '^node_modules/nact/',
          '^(node:)?(net|tls|dgram|http|https)$',
        ],
      },
    },
    {
      name: 'transport-below-runtime',
      severity: 'error',
      comment: 'transport may use core only, and no actor library.',
      from: { path: '^packages/transport/src' },
      to: { path: ['^packages/(runtime-nact|testing|examples|bench)/', '^node_modules/nact/'] },
    },
    {
      name: 'runtime-below-applications',
      severity: 'error',
      comment: 'runtime-nact may use core and transport, never the testing kit, the examples or the benchmarks.',
      from: { path: '^packages/runtime-nact/src' },
      to: { path: '^packages/(testing|examples|bench)/' },
    },
    {
      name: 'testing-below-applications',
      severity: 'error',
      comment: 'The testing kit may use core, transport and runtime-nact, never the examples or the benchmarks.',
      from: { path: '^packages/testing/src' },
      to: { path: '^packages/(examples|bench)/' },
    },
    {
      name: 'applications-apart',
      severity: 'error',
      comment: 'The examples and the benchmarks do not use each other.',
      from: { path: '^packages/(examples|bench)/src' },
      to: { path: '^packages/(examples|bench)/src', pathNot: '^packages/$1/src' },
    },
    {
      name: 'sources-do-not-import-tests',
      severity: 'error',
      comment: 'Published code never reaches into tests.',
      from: { path: '^packages/[^/]+/src' },
      to: { path: ['/test/', '^test/'] },
    },
    {
      name: 'tests-stay-in-their-package',
      severity: 'error',
      comment: "A package's tests use its own test support and the shared test/support, not another package's tests.",
      from: { path: '^packages/([^/]+)/test' },
      to: { path: '^packages/[^/]+/test', pathNot: '^packages/$1/test' },
    },
    {
      name: 'internal-entries-only-between-packages',
      severity: 'error',
      comment: 'Another package is reached through its entry (index or internal), never a deep import into its src.',
      from: { path: '^packages/([^/]+)/' },
      to: {
        path: '^packages/[^/]+/src/',
        pathNot: ['^packages/$1/src/', '^packages/[^/]+/src/(index|internal)\\.ts$'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/dist/', '^test/consumer/fixtures/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
