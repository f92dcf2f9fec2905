import { sharesKeptHiddenClass, staysOptimizedThroughFullCollections } from '../../../test/support/hiddenClasses';
import { InboundAsks } from '../src/association/InboundAsks';
import { NameCache } from '../src/wire/NameCache';
import { PayloadReader } from '../src/wire/PayloadReader';
import { encodeRequestHeader } from '../src/wire/wireFormat';

/** What a peer's ask leaves once answered: its reply address, out of the table. */
function answeredInboundAsk(): object {
  const sink = { complete: (): void => undefined };
  const ask = new InboundAsks(sink, sink).add(7);
  ask.sink.complete(7, { ok: true, value: new Uint8Array(1) });
  return ask;
}

/** A reader that read a request's header, as `decodeWireMessage` reads one. */
function requestReader(): PayloadReader {
  const names = new NameCache();
  const reader = new PayloadReader(encodeRequestHeader(7, 'echo-1', 'Echo', 'echo', undefined));
  reader.u8();
  reader.u32();
  reader.name(names);
  reader.name(names);
  reader.name(names);
  reader.token();
  reader.callInfo();
  return reader;
}

describe('the hidden classes of short-lived transport objects', () => {
  test("an answered peer's ask has the hidden class of the one kept for good", () => {
    const ask = answeredInboundAsk();
    expect(sharesKeptHiddenClass(ask)).toBe(true);
  });

  test("code optimized for peers' asks stays optimized through full collections while none is left", () => {
    expect(
      staysOptimizedThroughFullCollections(answeredInboundAsk, '(ask) => ask.done === true && ask.callId > 0'),
    ).toBe(true);
  });

  test("a frame's reader has the hidden class of the one kept for good", () => {
    const reader = requestReader();
    expect(sharesKeptHiddenClass(reader)).toBe(true);
  });

  test("code optimized for frames' readers stays optimized through full collections while none is left", () => {
    expect(staysOptimizedThroughFullCollections(requestReader, '(reader) => reader.offset > 0')).toBe(true);
  });
});
