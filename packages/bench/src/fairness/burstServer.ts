/**
 * The fairness scenarios' server child: one process that both serves a remote client and makes
 * local bursts of asks. A listening nact-rpc service (`bench-fair`, 127.0.0.1, any free port)
 * hosts a `probe` Echo endpoint, which the remote client calls and no burst touches, and
 * {@link MAX_BURST_ENDPOINTS} Echo endpoints (`echo-0`, …), each with a local gateway, for the
 * bursts. Sends {@link BurstServerReady} once ready, then answers each command
 * `burst <endpoints> <asks> <inFlight>` with two messages: {@link BurstStarted} right before the
 * burst's first ask, and the {@link BurstResult} once its last ask is answered. Started with
 * `--expose-gc`, it collects garbage before each burst, so that no burst pays for the last
 * one's. Exits when its stdin closes.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { GatewayOf } from '@nact-rpc/core';
import { EchoEndpoint, EchoProtocol, errorsOnlyLogger } from '../echo';
import { runChild, send, serveCommands } from '../proc/childIo';
import { localBurst, type BurstResult } from './burst';

/** The most endpoints a burst may spread its asks over. */
export const MAX_BURST_ENDPOINTS = 100;

/** What the burst child sends once ready. */
export interface BurstServerReady {
  /** The address of the `probe` Echo endpoint, for the remote client. */
  readonly probeAddress: string;
}

/** The first answer to a `burst` command: the burst starts right after it is sent. */
export interface BurstStarted {
  readonly started: true;
}

function parseBurst(command: string): { endpoints: number; asks: number; inFlight: number } {
  const [verb, ...numbers] = command.split(' ');
  const [endpoints, asks, inFlight] = numbers.map(Number);
  const whole = (value: number | undefined, max = Number.MAX_SAFE_INTEGER): value is number =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;
  if (verb !== 'burst' || !whole(endpoints, MAX_BURST_ENDPOINTS) || !whole(asks) || !whole(inFlight)) {
    throw new Error(
      `unknown command ${command}; expected burst <endpoints 1-${MAX_BURST_ENDPOINTS}> <asks> <inFlight>`,
    );
  }
  return { endpoints, asks, inFlight };
}

async function main(): Promise<void> {
  const service = await NactRpcService.create({
    name: 'bench-fair',
    logger: errorsOnlyLogger(),
    listen: { host: '127.0.0.1', port: 0 },
  });
  const probe = new EchoEndpoint(service, 'probe');
  await probe.start();
  const gateways: GatewayOf<typeof EchoProtocol>[] = [];
  for (let i = 0; i < MAX_BURST_ENDPOINTS; i++) {
    const endpoint = new EchoEndpoint(service, `echo-${i}`);
    await endpoint.start();
    gateways.push(await service.connect(endpoint.getAddress(), EchoProtocol));
  }
  serveCommands(async (command): Promise<BurstResult> => {
    const { endpoints, asks, inFlight } = parseBurst(command);
    (globalThis as { gc?: () => void }).gc?.();
    const started: BurstStarted = { started: true };
    send(started);
    return localBurst(gateways.slice(0, endpoints), asks, inFlight);
  });
  const ready: BurstServerReady = { probeAddress: probe.getAddress() };
  send(ready);
}

runChild(main);
