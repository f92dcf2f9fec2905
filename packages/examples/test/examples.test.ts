import { NactRpcService } from '@nact-rpc/runtime-nact';
import { runEmbedding, runHelloHi, runInProcessCluster } from '@nact-rpc/examples';

describe('the examples of npm start', () => {
  let service: NactRpcService;
  let lines: string[];
  beforeEach(() => {
    service = new NactRpcService({ name: 'example' });
    lines = [];
  });
  afterEach(() => service.closeAsync());

  test('Hello/Hi answers through the self gateway and a connected gateway', async () => {
    await runHelloHi(service, (line) => lines.push(line));
    expect(lines).toContain('self gateway:      hello() -> "hello"');
    expect(lines).toContain('connected gateway: hi()    -> "hi"');
  });

  test('the in-process cluster fences off a worker after a leader change until it registers again', async () => {
    await runInProcessCluster(service, (line) => lines.push(line));
    expect(lines).toEqual([
      'leader at nact-rpc://example/leader holds session session-1',
      'worker-a registered under session-1; the leader knows 1 worker(s)',
      'worker-b registered under session-1; the leader knows 2 worker(s)',
      'heartbeats seen by the leader: {"worker-a":3,"worker-b":3}',
      'leader change: the leader now holds session-2',
      'worker-b under session-1 is refused: FencingTokenError (FENCING_TOKEN)',
      'worker-b registered again under session-2; the leader knows 1 worker(s)',
      'heartbeats seen by the leader: {"worker-b":1}',
    ]);
  });
});

describe('the embedding example of npm start', () => {
  test('a plain actor orders through invocation messages and a gateway; the audit log outlives the service', async () => {
    const lines: string[] = [];
    await runEmbedding((line) => lines.push(line));
    expect(lines).toEqual([
      "inventory at nact-rpc://shop/inventory, in the user's nact system",
      'restocked through a gateway: 5 apples',
      'ordered 3 apples, 2 left',
      'order of 4 apples refused: RangeError: only 2 apples left',
      'the shop sees 2 apples in stock',
      'service closed; the audit log still answers: restocked 5 apples, reserved 3 apples',
    ]);
  });
});
