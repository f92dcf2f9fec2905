import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ServerProcessConfig } from '../fixtures/src/serverProcess';
import type { NetworkNamespace } from './NetworkNamespace';

const FIXTURES = join(__dirname, '..', 'fixtures', 'dist');
const running = new Set<ChildService>();

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A service running in its own Node.js process (test/fixtures/src/serverProcess.ts), for
 * tests that cross a process boundary. Every child started is stopped by
 * {@link stopAllChildren}, which the tests call after each test.
 */
export class ChildService {
  private readonly exit: Promise<ChildExit>;

  private constructor(
    readonly config: ServerProcessConfig,
    readonly port: number,
    private readonly child: ChildProcess,
    exit: Promise<ChildExit>,
  ) {
    this.exit = exit;
  }

  /**
   * Starts a server process and resolves once its endpoints are started.
   * @param overrides - Configuration; `port` 0 (the default) binds any free port.
   * @param inside - A network namespace to run it in (its `host` should then be the
   *   namespace's address).
   * @param script - The fixture program (of test/fixtures/dist), which prints `READY {"port":…}`
   *   once started; default the server process. Other programs take more configuration.
   */
  static start(
    overrides: Partial<ServerProcessConfig> & Record<string, unknown> = {},
    inside?: NetworkNamespace,
    script = 'serverProcess.js',
  ): Promise<ChildService> {
    const config: ServerProcessConfig = { name: 'server', port: 0, leaderToken: 'session-1', ...overrides };
    const program: [string, string[]] = [process.execPath, [join(FIXTURES, script), JSON.stringify(config)]];
    const [command, args] = inside === undefined ? program : inside.exec(program[0], ...program[1]);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<ChildService>((resolve, reject) => {
      let stdout = '';
      const onData = (chunk: Buffer): void => {
        stdout += chunk.toString();
        const line = /^READY (.*)$/m.exec(stdout);
        if (line === null) return;
        child.stdout?.off('data', onData);
        const { port } = JSON.parse(line[1] as string) as { port: number };
        const service = new ChildService(config, port, child, exit);
        running.add(service);
        void exit.then(() => running.delete(service));
        resolve(service);
      };
      child.stdout?.on('data', onData);
      void exit.then(({ code, signal }) =>
        reject(new Error(`the server process exited before it was ready (code ${code}, signal ${signal}): ${stderr}`)),
      );
    });
  }

  /** The address of one of the process's endpoints. */
  address(endpointId: string): string {
    return `nact-rpc://${this.config.name}@${this.config.host ?? '127.0.0.1'}:${this.port}/${endpointId}`;
  }

  /** Sends a signal to the process. */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves when the process has exited. */
  exited(): Promise<ChildExit> {
    return this.exit;
  }

  /** Stops the process: SIGCONT (in case it was stopped), then SIGKILL, and waits for the exit. */
  async kill(): Promise<ChildExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGCONT');
      this.child.kill('SIGKILL');
    }
    return this.exit;
  }
}

/** Stops every child process still running. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.kill()));
}
