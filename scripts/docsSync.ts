/**
 * `npm run docs:sync`: rewrites every code block of the documentation that has an include
 * marker from the file (or region) it names, then lists what is still wrong: blocks without a
 * marker, markers naming nothing. `npm run docs:sync -- --check` only checks, and exits with 1
 * when a block differs from its source (as test/docs/codeBlocks.test.ts does).
 * See scripts/docBlocks.ts for the markers.
 */
import { join } from 'node:path';
import { checkDocs, formatProblem, syncDocs } from './docBlocks';

const root = join(__dirname, '..');
const checkOnly = process.argv.includes('--check');

if (!checkOnly) {
  const changed = syncDocs(root);
  console.log(changed.length === 0 ? 'Every block was up to date.' : `Rewrote the blocks of ${changed.join(', ')}.`);
}
const problems = checkDocs(root);
for (const problem of problems) console.error(formatProblem(problem));
if (problems.length > 0) {
  console.error(`${problems.length} block(s) to fix.`);
  process.exitCode = 1;
}
