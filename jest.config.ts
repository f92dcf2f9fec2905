import type { Config } from 'jest';

/**
 * superjson and its dependencies ship only as ES modules, and jest's module system
 * loads CommonJS. They are compiled to CommonJS by ts-jest like our own sources;
 * every other package in node_modules is left alone.
 */
const esmOnlyPackages = ['superjson', 'copy-anything', 'is-what'];

const packages = ['core', 'transport', 'runtime-nact', 'testing', 'examples'];

function project(name: string): Config {
  return {
    displayName: name,
    rootDir: __dirname,
    testEnvironment: 'node',
    roots: [`<rootDir>/packages/${name}`],
    testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'],
    moduleNameMapper: {
      '^@nact-rpc/([^/]+)/internal$': '<rootDir>/packages/$1/src/internal',
      '^@nact-rpc/([^/]+)$': '<rootDir>/packages/$1/src',
    },
    transform: {
      '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
  };
}

/** Tests across packages and processes: test/, run against the built packages' sources. */
const crossPackage: Config = {
  ...project('core'),
  displayName: 'remote',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/'],
};

/** The examples of the documentation (docs/examples), each run as the docs show it. */
const docs: Config = {
  ...project('core'),
  displayName: 'docs',
  roots: ['<rootDir>/docs'],
  testMatch: ['<rootDir>/docs/examples/**/*.test.ts'],
};

/**
 * The packed packages used from consumer projects (test/consumer): it runs the built
 * packages, never their sources, so it has no module mappings.
 */
const consumer: Config = {
  displayName: 'consumer',
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test/consumer'],
  testMatch: ['<rootDir>/test/consumer/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
};

const config: Config = {
  projects: [...packages.map(project), crossPackage, docs, consumer],
  // A test that leaves a handle open fails the run instead of keeping it waiting for ever.
  reporters: ['default', '<rootDir>/test/support/exitGuard.cjs'],
};

export default config;
