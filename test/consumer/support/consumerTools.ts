import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type ConsumerWorkspace, type PublishedPackage } from './ConsumerWorkspace';
import { runStep, StepFailedError, type StepOutput } from './runStep';

/**
 * The commands the consumer test runs, each as one step whose failure reports the command
 * and its output. jest and tsc run from the consumers' node_modules (where the repository's
 * copies are linked), as `npx jest` would run them there; esbuild and attw, which look at
 * the consumer from outside, run from the repository's.
 */

/** The Node.js that runs this test runs the consumers too. */
export const nodeBinary = process.execPath;

/** The counts of a jest run, from its `--json` report. */
interface JestReport {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
}

/**
 * Runs jest in a consumer project with that project's own configuration, and checks that it
 * ran exactly `expectedTests` tests and all passed: a suite that silently ran nothing fails.
 */
export async function runConsumerJest(
  workspace: ConsumerWorkspace,
  project: string,
  expectedTests: number,
  options: { readonly esm?: boolean } = {},
): Promise<StepOutput> {
  const cwd = workspace.consumerPath(project);
  const reportFile = join(workspace.root, `jest-${project}.json`);
  const step = {
    command: nodeBinary,
    args: [
      ...(options.esm === true ? ['--experimental-vm-modules'] : []),
      workspace.consumerPath('node_modules', 'jest', 'bin', 'jest.js'),
      '--ci',
      '--no-watchman',
      `--cacheDirectory=${workspace.jestCache}`,
      '--json',
      `--outputFile=${reportFile}`,
    ],
    cwd,
    timeoutMs: 90_000,
  };
  const output = await runStep(step);
  let report: JestReport;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport;
  } catch (error) {
    throw new StepFailedError(step, `exited 0 without a readable report in ${reportFile} (${String(error)})`, output);
  }
  if (report.numTotalTests !== expectedTests || report.numPassedTests !== expectedTests) {
    throw new StepFailedError(
      step,
      `expected ${expectedTests} passing tests, jest ran ${report.numTotalTests} and ${report.numPassedTests} passed`,
      output,
    );
  }
  return output;
}

/** The last line of every plain-Node consumer script, printed once all its checks passed. */
const SCENARIO_PASSED = 'consumer scenario passed';

/**
 * Runs a plain Node.js script and checks that it got to the end and exited by itself.
 * @param nodeOptions - Options for node itself, before the script.
 */
export async function runConsumerScript(
  cwd: string,
  script: string,
  nodeOptions: readonly string[] = [],
): Promise<StepOutput> {
  const step = { command: nodeBinary, args: [...nodeOptions, script], cwd, timeoutMs: 30_000 };
  const output = await runStep(step);
  if (!output.stdout.includes(SCENARIO_PASSED)) {
    throw new StepFailedError(step, `exited 0 without printing "${SCENARIO_PASSED}"`, output);
  }
  return output;
}

/** `tsc --noEmit -p <project>`: the project's tsconfig.json decides everything else. */
export function typecheckConsumer(workspace: ConsumerWorkspace, project: string): Promise<StepOutput> {
  return runStep({
    command: nodeBinary,
    args: [workspace.consumerPath('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'],
    cwd: workspace.consumerPath(project),
    timeoutMs: 60_000,
  });
}

/**
 * Bundles a consumer's entry with esbuild from the repository (it comes with tsup) with the
 * stock options for a Node.js program, `--bundle --platform=node` (CommonJS output), and
 * runs the bundle from a folder with no node_modules near it: everything it needs must be in it.
 */
export async function bundleAndRunConsumer(workspace: ConsumerWorkspace, entry: string): Promise<StepOutput> {
  const bundle = join(workspace.bundleDir, 'main.cjs');
  await runStep({
    command: repositoryTool(join('esbuild', 'bin', 'esbuild')),
    args: [workspace.consumerPath(entry), '--bundle', '--platform=node', `--outfile=${bundle}`, '--log-level=warning'],
    cwd: workspace.consumers,
    timeoutMs: 60_000,
  });
  return runConsumerScript(workspace.bundleDir, bundle);
}

/**
 * attw (Are the Types Wrong?) on one tarball: how each entry point resolves, types and
 * JavaScript, under node10, node16 (from CommonJS and from ESM) and bundler resolution.
 * Offline: nothing is fetched (`--no-definitely-typed`).
 */
export function runAttw(workspace: ConsumerWorkspace, name: PublishedPackage): Promise<StepOutput> {
  return runStep({
    command: nodeBinary,
    args: [
      repositoryTool(join('@arethetypeswrong', 'cli', 'dist', 'index.js')),
      workspace.tarball(name),
      '--no-definitely-typed',
      '--no-color',
      '--no-emoji',
      '--format',
      'table-flipped',
    ],
    cwd: workspace.root,
    timeoutMs: 60_000,
  });
}

/** A tool from the repository's node_modules (a devDependency), or a failure that says so. */
function repositoryTool(path: string): string {
  const full = join(REPO_ROOT, 'node_modules', path);
  if (!existsSync(full)) {
    throw new Error(`${path} is not installed in the repository's node_modules; it is a devDependency: run npm ci`);
  }
  return full;
}
