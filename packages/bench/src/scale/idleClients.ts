/**
 * The idle scenario's client child: `idleClients.js <address> <count>` creates `count`
 * client-only nact-rpc services (default options), each connecting a gateway to `address`,
 * so `count` associations to the server. Sends `{ connected, connectMs }` once all are
 * connected, then answers each `cpu` command with a {@link CpuSnapshot}.
 */
import type { GatewayOf } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoProtocol, errorsOnlyLogger } from '../echo';
import { cpuSnapshot, runChild, send, serveCommands } from '../proc/childIo';

/** What the client child sends once connected. */
export interface IdleClientsReady {
  readonly connected: number;
  readonly connectMs: number;
}

const CONNECTS_AT_ONCE = 50;

async function main(): Promise<void> {
  const address = process.argv[2] ?? '';
  const count = Number(process.argv[3]);
  const started = process.hrtime.bigint();
  const clients: Array<{ service: NactRpcService; gateway: GatewayOf<typeof EchoProtocol> }> = [];
  for (let i = 0; i < count; i += CONNECTS_AT_ONCE) {
    const batch = Array.from({ length: Math.min(CONNECTS_AT_ONCE, count - i) }, async () => {
      const service = new NactRpcService({ logger: errorsOnlyLogger() });
      const gateway = await service.connect(address, EchoProtocol);
      return { service, gateway };
    });
    clients.push(...(await Promise.all(batch)));
  }
  const ready: IdleClientsReady = {
    connected: clients.length,
    connectMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
  serveCommands(() => cpuSnapshot());
  send(ready);
}

runChild(main);
