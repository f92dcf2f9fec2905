import { resolveTransportOptions } from '@nact-rpc/transport/internal';
import { AssociationHeartbeat, type HeartbeatTarget } from '../../src/association/AssociationHeartbeat';
import { FrameWriter } from '../../src/framing/FrameWriter';
import { encodeSignal } from '../../src/wire/wireFormat';
import { WireKind } from '../../src/wire/WireMessage';
import { RecordingLogger } from '@nact-rpc/testing';

const PING = encodeSignal(WireKind.Ping);

/** A heartbeat under test, the target it closes, and how many Pings it has sent. */
export interface HeartbeatUnderTest {
  readonly heartbeat: AssociationHeartbeat;
  /** The target's `close`: the heartbeat's verdict; it stops the heartbeat. */
  readonly close: jest.Mock<void, [string, boolean]>;
  readonly pings: () => number;
  /** Sets how many asks of this side wait on the association (0 at first). */
  readonly setAsksInFlight: (count: number) => void;
}

/** A heartbeat with `options` on a recording target, writing to a writer that counts its Pings. */
export function heartbeatUnderTest(options: Parameters<typeof resolveTransportOptions>[0]): HeartbeatUnderTest {
  const close = jest.fn<void, [string, boolean]>();
  let asks = 0;
  const target: HeartbeatTarget = {
    describePeer: () => 'peer P',
    close,
    // As an open association does: it closes with the reason.
    protocolError: (reason) => close(`protocol error: ${reason}`, false),
    asksInFlight: () => asks,
  };
  const writer = new FrameWriter({ write: () => true });
  const write = jest.spyOn(writer, 'write');
  const heartbeat = new AssociationHeartbeat(target, writer, resolveTransportOptions(options), new RecordingLogger());
  close.mockImplementation(() => heartbeat.stop());
  const pings = (): number =>
    write.mock.calls.filter(([frame]) => frame !== undefined && Buffer.from(frame).equals(PING)).length;
  const setAsksInFlight = (count: number): void => {
    asks = count;
    // As the association's in-flight set does when an ask is added to an empty set.
    if (count > 0) heartbeat.asksWaiting();
  };
  return { heartbeat, close, pings, setAsksInFlight };
}
