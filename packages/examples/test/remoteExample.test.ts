import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProcessOutput } from './support/processOutput';

const dist = join(__dirname, '..', 'dist', 'remote');

describe('the remote example', () => {
  test('the client process calls every address the server process prints', async () => {
    const server = spawn(process.execPath, [join(dist, 'server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const output = new ProcessOutput(server);
    try {
      const addresses = [
        (await output.line(/^nact-rpc:\/\/greeter@127\.0\.0\.1:\d+\/hello$/))[0],
        (await output.line(/^nact-rpc:\/\/greeter@127\.0\.0\.1:\d+\/hi$/))[0],
      ];
      const answers = await Promise.all(
        addresses.map(async (address) => {
          const { stdout } = await promisify(execFile)(process.execPath, [join(dist, 'client.js'), address]);
          return stdout.trim();
        }),
      );
      expect(answers).toEqual([`${addresses[0]} answered "hello"`, `${addresses[1]} answered "hi"`]);
      expect(output.lines.filter((line) => line.startsWith('nact-rpc://'))).toEqual(addresses);
    } finally {
      server.kill('SIGTERM');
      await output.exit;
    }
  });
});
