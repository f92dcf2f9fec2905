/**
 * The fairness scenarios' server child: one process that both serves a remote client and makes
 * local bursts of asks. A listening nact-rpc service (`bench-fair`, 127.0.0.1, any free port)
 * hosts a `probe` Echo endpoint, which the remote client calls and no burst touches, and
 * {@link MAX_BURST_ENDPOINTS} Echo endpoints (`echo-0`, …), each with a local gateway, for the
 * bursts. Sends {@link BurstServerReady} once ready, then answers each command
 * `burst <endpoints> <asks> <inFlight>` with two messages: {@link BurstStarted} right before the
 * burst's first ask, and the {@link BurstResult} once its last ask is answered. The command
 * `burst floor <asks> <inFlight>` makes the same burst of plain promises ({@link PromiseEcho}),
 * with nact-rpc still serving the remote client. Started with `--expose-gc`, it collects
 * garbage before each burst, so that no burst pays for the last one's. Exits when its stdin
 * closes.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { GatewayOf } from '@nact-rpc/core';
import { EchoEndpoint, EchoProtocol, errorsOnlyLogger } from '../echo';
import { runChild, send, serveCommands } from '../proc/childIo';
import { localBurst, type BurstResult } from './burst';
import { PromiseEcho, type EchoTarget } from './promiseEcho';

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

/** The target of a burst: `endpoints` of the Echo endpoints, or the floor. */
type BurstTarget = number | 'floor';

function parseBurst(command: string): { target: BurstTarget; asks: number; inFlight: number } {
  const [verb, target, ...numbers] = command.split(' ');
  const [asks, inFlight] = numbers.map(Number);
  const endpoints = Number(target);
  const whole = (value: number | undefined, max = Number.MAX_SAFE_INTEGER): value is number =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;
  if (
    verb !== 'burst' ||
    (target !== 'floor' && !whole(endpoints, MAX_BURST_ENDPOINTS)) ||
    !whole(asks) ||
    !whole(inFlight)
  ) {
    throw new Error(
      `unknown command ${command}; expected burst <endpoints 1-${MAX_BURST_ENDPOINTS} | floor> <asks> <inFlight>`,
    );
  }
  return { target: target === 'floor' ? 'floor' : endpoints, asks, inFlight };
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
    const { target, asks, inFlight } = parseBurst(command);
    const targets: readonly EchoTarget[] = target === 'floor' ? [new PromiseEcho()] : gateways.slice(0, target);
    (globalThis as { gc?: () => void }).gc?.();
    const started: BurstStarted = { started: true };
    send(started);
    return localBurst(targets, asks, inFlight);
  });
  const ready: BurstServerReady = { probeAddress: probe.getAddress() };
  send(ready);
}

runChild(main);
