import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const dist = join(__dirname, '..', 'dist', 'remote');

describe('the remote example', () => {
  test('the client process calls the Hello endpoint of the server process', async () => {
    const server = spawn(process.execPath, [join(dist, 'server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    try {
      const helloAddress = await new Promise<string>((resolve, reject) => {
        let output = '';
        server.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const line = /^(nact-rpc:\/\/greeter@127\.0\.0\.1:\d+\/hello)$/m.exec(output);
          if (line !== null) resolve(line[1] as string);
        });
        server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
      });
      const { stdout } = await promisify(execFile)(process.execPath, [join(dist, 'client.js'), helloAddress]);
      expect(stdout.trim()).toBe(`${helloAddress} answered "hello"`);
    } finally {
      server.kill('SIGTERM');
      await exited;
    }
  });
});
