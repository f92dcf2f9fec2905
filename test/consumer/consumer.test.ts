/**
 * The consumer test: the packages as published, used from a user's own projects.
 *
 * The repository's other tests import the packages' sources through path mappings and a
 * jest configuration made for them; none of that reaches a user. This test packs the built
 * packages (`npm run build` runs first, in `npm test`), installs the tarballs into fresh
 * projects in a temporary directory and uses them there, each project with stock tooling
 * and no configuration for nact-rpc: ts-jest in CommonJS and in ESM mode, plain Node.js
 * with `import` and with `require`, an esbuild bundle, and `tsc` under each module setting.
 * A failure prints the command that failed and its output.
 *
 * The checks run as child processes, a few at a time (see CheckPool), started as soon as
 * the tarballs are packed or installed; each test awaits its own check.
 *
 * See fixtures/ for the consumer projects, support/ for how they are set up and run.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CheckPool } from './support/CheckPool';
import { ConsumerWorkspace, PUBLISHED_PACKAGES, type PublishedPackage } from './support/ConsumerWorkspace';
import {
  bundleAndRunConsumer,
  runAttw,
  runConsumerJest,
  runConsumerScript,
  typecheckConsumer,
} from './support/consumerTools';
import { compileAndRunQuickStart } from './support/readmeQuickStart';
import { killRunningSteps } from './support/runStep';
import { readTarball } from './support/tarball';
import { tarballProblems } from './support/tarballChecks';

/** How long a test may wait for its check, queueing behind others included. */
const TEST_TIMEOUT_MS = 180_000;

const workspace = new ConsumerWorkspace();
const pool = new CheckPool(Math.min(4, Math.max(2, availableParallelism())));

/** The tsc projects under fixtures/typecheck, by the setting each one checks. */
const TYPECHECK_PROJECTS: readonly (readonly [setting: string, project: string])[] = [
  ['module commonjs, moduleResolution node10', 'typecheck/node10'],
  ['module node16, a CommonJS package', 'typecheck/node16-cjs'],
  ['module node16, an ES module package', 'typecheck/node16-esm'],
  ['module nodenext', 'typecheck/nodenext'],
  ['module esnext, moduleResolution bundler', 'typecheck/bundler'],
  ['experimentalDecorators with @serves', 'typecheck/experimental-decorators'],
];

/** Every check on the installed packages, by name; started once the install is done. */
const CONSUMER_CHECKS: Readonly<Record<string, () => Promise<unknown>>> = {
  'cjs-jest': () => runConsumerJest(workspace, 'cjs-jest', 10),
  'esm-jest': () => runConsumerJest(workspace, 'esm-jest', 1, { esm: true }),
  ...Object.fromEntries(
    TYPECHECK_PROJECTS.map(([, project]) => [project, () => typecheckConsumer(workspace, project)]),
  ),
  'esm-node': () => runConsumerScript(workspace.consumerPath('esm-node'), 'main.js'),
  'cjs-require': () => runConsumerScript(workspace.consumerPath('cjs-require'), 'main.cjs'),
  // As Node.js before 20.19 does: a CommonJS program cannot require an ES module.
  'cjs-require-no-esm': () =>
    runConsumerScript(workspace.consumerPath('cjs-require'), 'main.cjs', ['--no-experimental-require-module']),
  'readme-cjs': () => compileAndRunQuickStart(workspace, 'readme-cjs'),
  'readme-esm': () => compileAndRunQuickStart(workspace, 'readme-esm'),
  bundle: () => bundleAndRunConsumer(workspace, join('esm-node', 'main.js')),
  'dual-node': () => runConsumerScript(workspace.consumerPath('dual-node'), 'main.js'),
};

const attwChecks = new Map<PublishedPackage, Promise<unknown>>();
const consumerChecks = new Map<string, Promise<unknown>>();
let installation: Promise<void> = Promise.reject(new Error('not started: packing failed'));
installation.catch(() => {});

beforeAll(async () => {
  await workspace.pack();
  for (const name of PUBLISHED_PACKAGES)
    attwChecks.set(
      name,
      pool.start(() => runAttw(workspace, name)),
    );
  installation = workspace.install();
  installation.then(
    () => Object.entries(CONSUMER_CHECKS).forEach(([name, check]) => consumerChecks.set(name, pool.start(check))),
    () => {},
  );
}, TEST_TIMEOUT_MS);

afterAll(() => {
  pool.cancel();
  killRunningSteps();
  workspace.dispose();
});

/** The result of one consumer check; fails at once, pointing at the install, if that failed. */
async function consumerCheck(name: string): Promise<void> {
  try {
    await installation;
  } catch {
    throw new Error('Not run: installing the tarballs failed (see the test "npm installs the tarballs").');
  }
  await consumerChecks.get(name);
}

describe('the tarballs npm pack writes', () => {
  test.each(PUBLISHED_PACKAGES)(
    '@nact-rpc/%s ships README.md, LICENSE, engines.node, no build leftovers, and source maps that resolve',
    (name) => {
      expect(tarballProblems(readTarball(workspace.tarball(name)))).toEqual([]);
    },
  );

  test.each(PUBLISHED_PACKAGES)(
    'attw (Are the Types Wrong?) finds no problem in @nact-rpc/%s',
    async (name) => {
      await attwChecks.get(name);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the installed packages, in consumer projects', () => {
  test('npm installs the tarballs into a fresh project', () => installation, TEST_TIMEOUT_MS);

  test(
    'a stock ts-jest suite (CommonJS): calls, fake-timer timeouts, call options (a deadline on fake time, a cancel, metadata), a fake-timer hang that does not reach the next test, endpoints without decorators, and the testing kit',
    () => consumerCheck('cjs-jest'),
    TEST_TIMEOUT_MS,
  );

  test(
    "jest in ESM mode with ts-jest's ESM preset: start, call, close",
    () => consumerCheck('esm-jest'),
    TEST_TIMEOUT_MS,
  );

  test(
    'an ES module project run by node imports the packages and runs the scenario, the testing kit included',
    () => consumerCheck('esm-node'),
    TEST_TIMEOUT_MS,
  );

  test(
    'a CommonJS script requires the packages and runs the scenario',
    () => consumerCheck('cjs-require'),
    TEST_TIMEOUT_MS,
  );

  test(
    'the same CommonJS script runs where require cannot load ES modules (--no-experimental-require-module, as before Node.js 20.19)',
    () => consumerCheck('cjs-require-no-esm'),
    TEST_TIMEOUT_MS,
  );

  test.each(['readme-cjs', 'readme-esm'])(
    "the README's quick start compiles as written and prints hello and hi (%s)",
    (project) => consumerCheck(project),
    TEST_TIMEOUT_MS,
  );

  test(
    'an esbuild bundle (platform node) of the ES module project runs the scenario away from any node_modules',
    () => consumerCheck('bundle'),
    TEST_TIMEOUT_MS,
  );

  test(
    'a program that loads both the CommonJS and the ES module build of core works across the two copies',
    () => consumerCheck('dual-node'),
    TEST_TIMEOUT_MS,
  );

  describe('tsc --noEmit, without skipLibCheck', () => {
    test.each(TYPECHECK_PROJECTS)('%s', (_setting, project) => consumerCheck(project), TEST_TIMEOUT_MS);
  });
});
