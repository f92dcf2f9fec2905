import { once } from 'node:events';
import { connect } from 'node:net';
import { ask, defineProtocol, RpcEndpoint, serves, TypedCodec, systemClock } from '@nact-rpc/core';
import { PendingCalls } from '@nact-rpc/core/internal';
import { Association, resolveTransportOptions, WIRE_MAGIC, WIRE_VERSION } from '@nact-rpc/transport/internal';
import { RecordingLogger } from '@nact-rpc/testing';

/** The protocol the raw-peer tests call. */
export const Adder = defineProtocol('Adder', {
  add: ask<[a: number, b: number], number>(),
});

/** Serves {@link Adder}, counting the calls that ran. */
@serves(Adder)
export class AdderEndpoint extends RpcEndpoint {
  calls = 0;

  add(a: number, b: number): number {
    this.calls++;
    return a + b;
  }
}

/** The codec of every raw peer: the one services use by default. */
export const rawPeerCodec = new TypedCodec();

/** The hello a raw peer sends. */
export const RAW_PEER_HELLO = {
  magic: WIRE_MAGIC,
  wireVersion: WIRE_VERSION,
  serviceName: 'raw-peer',
  incarnation: 'raw-peer-run-1',
  codec: rawPeerCodec.name,
  maxFrameSize: 1 << 20,
};

/** A raw peer's association and the table its asks are registered in. */
export interface RawPeer {
  readonly association: Association;
  readonly pendingCalls: PendingCalls;
  close(): void;
}

/**
 * A peer that speaks the wire protocol but sends what no gateway would: an association of its
 * own to the service on `port`, on which a test writes frames by hand.
 */
export async function rawPeer(port: number): Promise<RawPeer> {
  const pendingCalls = new PendingCalls(5_000, false);
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const host = {
    serviceName: RAW_PEER_HELLO.serviceName,
    incarnation: RAW_PEER_HELLO.incarnation,
    codec: rawPeerCodec,
    logger: new RecordingLogger(),
    clock: systemClock,
    pendingCalls,
    onRequest: () => undefined,
    onHandshake: () => undefined,
  };
  const events = { opened: () => undefined, closed: () => undefined };
  const association = new Association('outbound', socket, host, resolveTransportOptions({}), {
    localHello: RAW_PEER_HELLO,
    events,
  });
  await association.whenOpen();
  return { association, pendingCalls, close: () => association.close('test over', true) };
}
