import pino from 'pino';
import { defineProtocol, loggerFor, RpcEndpoint, serves, takesDetailsFirst, tell, consoleLogger } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger, eventLoopTurns } from '@nact-rpc/testing';

/** A pino logger given as it is: its lines carry the details, and errors with their stacks. */
const Jobs = defineProtocol('PinoJobs', { fail: tell<[reason: string]>() });

@serves(Jobs)
class JobsEndpoint extends RpcEndpoint {
  fail(reason: string): void {
    throw new TypeError(reason);
  }
}

/** A pino logger at `debug` whose lines are parsed into `lines`. */
function pinoInto(lines: Record<string, unknown>[]): pino.Logger {
  return pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
}

describe('a pino logger', () => {
  test('is given to a service as it is, and its lines carry the message, the level and the error with its stack', async () => {
    const lines: Record<string, unknown>[] = [];
    const service = new NactRpcService({ name: 'pino', logger: pinoInto(lines) });
    const endpoint = new JobsEndpoint(service);
    await endpoint.start();
    endpoint.getSelfGateway(Jobs).fail('no such job');
    await eventLoopTurns();
    await service.closeAsync();
    const failure = lines.find((line) => String(line['msg']).includes('Tell PinoJobs.fail failed'));
    expect(failure).toMatchObject({ level: 50, err: { type: 'TypeError', message: 'no such job' } });
    expect(String((failure?.['err'] as { stack?: string }).stack)).toContain('TypeError: no such job');
    // The service's own logger is the adapter: endpoint code logging through it reaches pino too.
    expect(lines.every((line) => typeof line['msg'] === 'string')).toBe(true);
  });

  test('is recognised by its child and bindings functions; other loggers are used as they are', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pinoInto(lines);
    expect(takesDetailsFirst(logger)).toBe(true);
    const adapted = loggerFor(logger);
    adapted.warn('plain');
    adapted.info('with details', { peer: 'service b', error: new Error('cut') });
    expect(lines.map((line) => [line['level'], line['msg'], line['peer']])).toEqual([
      [40, 'plain', undefined],
      [30, 'with details', 'service b'],
    ]);
    expect(lines[1]?.['err']).toMatchObject({ type: 'Error', message: 'cut' });
    const recording = new RecordingLogger();
    const console = consoleLogger('error');
    expect(takesDetailsFirst(recording)).toBe(false);
    expect(loggerFor(recording)).toBe(recording);
    expect(loggerFor(console)).toBe(console);
  });
});
