import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'exitGuard');
const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const GUARD = join(ROOT, 'test', 'support', 'exitGuard.cjs');

/** What a jest run printed and how it ended. */
interface JestRun {
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * The reporter that fails a run whose tests left a handle open (test/support/exitGuard.cjs),
 * tried on a jest run of its own in another process.
 */
describe('the exit guard of the test run', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  async function runJest(testFile: string): Promise<JestRun> {
    const config = {
      rootDir: FIXTURES,
      testMatch: [`**/${testFile}`],
      transform: {},
      reporters: ['default', [GUARD, { graceMs: 300 }]],
    };
    const child = spawn(process.execPath, [JEST, '--ci', '--runInBand', '--config', JSON.stringify(config)], {
      cwd: FIXTURES,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stderr };
  }

  test('a run whose passing test leaves a server listening fails, naming what is open', async () => {
    const run = await runJest('leavesServerOpen.test.cjs');
    expect(run.stderr).toContain('1 passed');
    expect(run.stderr).toMatch(/300 ms later the process is still kept alive by: .*TCPServerWrap ×1/);
    expect(run.code).toBe(1);
  });

  test('a run whose tests close what they open exits at once with success', async () => {
    const run = await runJest('closesServer.test.cjs');
    expect(run.stderr).toContain('1 passed');
    expect(run.stderr).not.toContain('kept alive');
    expect(run.code).toBe(0);
  });
});
