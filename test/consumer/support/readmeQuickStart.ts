import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type ConsumerWorkspace } from './ConsumerWorkspace';
import { nodeBinary } from './consumerTools';
import { runStep, StepFailedError, type StepOutput } from './runStep';

/**
 * The README's quick start, as a user copies it: the first TypeScript block under the
 * "Quick start" heading, unchanged.
 */
export function readmeQuickStart(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Quick start$/m)[1];
  const block = section === undefined ? undefined : /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no ```ts block under "## Quick start"');
  return block;
}

/** What the quick start prints, in order, when it works. */
const EXPECTED_OUTPUT = 'hello\nhi\n';

/**
 * Writes the README's quick start into a consumer project, compiles it with that project's
 * tsconfig (`tsc -p .`, emitting to `out/`) and runs it with node: it must compile as
 * written and print what the README says it prints.
 */
export async function compileAndRunQuickStart(workspace: ConsumerWorkspace, project: string): Promise<StepOutput> {
  const cwd = workspace.consumerPath(project);
  writeFileSync(join(cwd, 'quickstart.ts'), readmeQuickStart());
  await runStep({
    command: nodeBinary,
    args: [workspace.consumerPath('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
    cwd,
    timeoutMs: 60_000,
  });
  const step = { command: nodeBinary, args: [join('out', 'quickstart.js')], cwd, timeoutMs: 30_000 };
  const output = await runStep(step);
  if (output.stdout !== EXPECTED_OUTPUT) {
    throw new StepFailedError(
      step,
      `printed ${JSON.stringify(output.stdout)} instead of ${JSON.stringify(EXPECTED_OUTPUT)}`,
      output,
    );
  }
  return output;
}
