/**
 * The bulk scenarios: large payloads, nact-rpc against the strongest raw TCP baseline
 * ({@link ./rawBulk}). Every payload is a `Buffer`, as a user sends bytes.
 *
 * - `remote_raw_tcp_1mib`, `remote_rpc_ask_1mib`: asks (echoes) whose argument and answer are
 *   each 1 MiB, {@link BULK_IN_FLIGHT} in flight; figures in calls/s, and
 *   `<name>_mb_per_s`: payload bytes moved both ways per second, in MB (10^6 bytes).
 * - `remote_raw_tcp_stream`, `remote_rpc_tell_stream`: a one-way stream of 64 KiB messages
 *   (tells), in batches of {@link STREAM_BATCH}, each confirmed by asking the receiver for its
 *   counts, two batches in flight so the pipe never runs dry; figures in msgs/s counted once
 *   the receiver has them, and `<name>_mb_per_s`.
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { GatewayOf } from '@nact-rpc/core';
import { errorsOnlyLogger } from '../echo';
import { closedLoop, nowNs, type Sample } from '../measure';
import type { Scenario, ScenarioSession } from '../scenario';
import {
  ASK_BLOB_BYTES,
  BlobPool,
  BlobProtocol,
  checkBlobEcho,
  makeBlob,
  STREAM_BATCH,
  STREAM_BLOB_BYTES,
  type StreamCount,
} from './blob';
import { RawBlobClient, RawStreamClient } from './rawBulk';

/**
 * 1 MiB asks in flight: 4 MiB each way keeps both processes busy (one side encodes a call
 * while the other decodes the one before) and fills loopback's socket buffers, while more would
 * only queue in them and add latency.
 */
export const BULK_IN_FLIGHT = 4;

const MB = 1e6;

/** `<name>_mb_per_s` from a throughput of operations moving `bytesPerOperation` each. */
const megabytes =
  (name: string, bytesPerOperation: number) =>
  (perSecond: number): Record<string, number> => ({ [`${name}_mb_per_s`]: (perSecond * bytesPerOperation) / MB });

/** An echo of 1 MiB blobs named `name`, {@link BULK_IN_FLIGHT} in flight, through `echo`. */
function blobAskScenario(
  name: string,
  connect: () => Promise<{ echo: (blob: Buffer) => Promise<Uint8Array>; close: () => void | Promise<void> }>,
): Scenario {
  return {
    name,
    unit: 'calls/s',
    derived: megabytes(name, 2 * ASK_BLOB_BYTES),
    async open(): Promise<ScenarioSession> {
      const { echo, close } = await connect();
      const pool = new BlobPool(ASK_BLOB_BYTES);
      return {
        run: (durationMs) =>
          closedLoop(BULK_IN_FLIGHT, durationMs, async (sequence) => {
            const blob = pool.take(sequence);
            try {
              checkBlobEcho(sequence, ASK_BLOB_BYTES, await echo(blob));
            } finally {
              pool.give(blob);
            }
          }),
        close,
      };
    },
  };
}

/** The raw TCP blob echo at 127.0.0.1:`port`: `remote_raw_tcp_1mib`. */
export function rawBlobAskScenario(port: number): Scenario {
  return blobAskScenario('remote_raw_tcp_1mib', async () => {
    const client = await RawBlobClient.connect(port);
    return { echo: (blob) => client.call(blob.readUInt32LE(0), blob), close: () => client.close() };
  });
}

async function connectBlob(
  address: string,
): Promise<{ gateway: GatewayOf<typeof BlobProtocol>; close: () => Promise<void> }> {
  const client = new NactRpcService({ name: 'bench-client', logger: errorsOnlyLogger() });
  try {
    return { gateway: await client.connect(address, BlobProtocol), close: () => client.closeAsync() };
  } catch (error) {
    await client.closeAsync();
    throw error;
  }
}

/** nact-rpc asks to the server child's Blob endpoint at `address`: `remote_rpc_ask_1mib`. */
export function rpcBlobAskScenario(address: string): Scenario {
  return blobAskScenario('remote_rpc_ask_1mib', async () => {
    const { gateway, close } = await connectBlob(address);
    return { echo: (blob) => gateway.echo(blob), close };
  });
}

/** Batches of a one-way stream awaiting the receiver's confirmation, at most this many at a time. */
const STREAM_BATCHES_IN_FLIGHT = 2;

/**
 * Streams batches of {@link STREAM_BATCH} blobs until `durationMs` has passed: `send` sends one
 * batch, `received` resolves with the receiver's counts once it has read everything sent
 * before. Counts a batch once the receiver has confirmed it; checks every count.
 */
async function streamLoop(durationMs: number, send: () => void, received: () => Promise<StreamCount>): Promise<Sample> {
  const base = await received();
  const deadline = nowNs() + BigInt(Math.round(durationMs * 1e6));
  const start = nowNs();
  const confirming: Promise<void>[] = [];
  let sent = 0;
  while (nowNs() < deadline) {
    send();
    sent += STREAM_BATCH;
    const expected = sent;
    confirming.push(
      received().then(({ messages, bytes }) => {
        if (messages - base.messages !== expected || bytes - base.bytes !== expected * STREAM_BLOB_BYTES)
          throw new Error(`the receiver counted ${messages - base.messages} messages, expected ${expected}`);
      }),
    );
    if (confirming.length >= STREAM_BATCHES_IN_FLIGHT) await confirming.shift();
  }
  await Promise.all(confirming);
  return { operations: sent, elapsedNs: Number(nowNs() - start) };
}

function streamScenario(
  name: string,
  connect: () => Promise<{
    send: (blob: Buffer) => void;
    received: () => Promise<StreamCount>;
    close: () => void | Promise<void>;
  }>,
): Scenario {
  return {
    name,
    unit: 'msgs/s',
    derived: megabytes(name, STREAM_BLOB_BYTES),
    async open(): Promise<ScenarioSession> {
      const { send, received, close } = await connect();
      const blob = makeBlob(STREAM_BLOB_BYTES);
      return { run: (durationMs) => streamLoop(durationMs, () => send(blob), received), close };
    },
  };
}

/** The raw TCP stream to the receiver at 127.0.0.1:`port`: `remote_raw_tcp_stream`. */
export function rawStreamScenario(port: number): Scenario {
  return streamScenario('remote_raw_tcp_stream', async () => {
    const client = await RawStreamClient.connect(port);
    return {
      send: (blob) => client.send(blob, STREAM_BATCH),
      received: () => client.received(),
      close: () => client.close(),
    };
  });
}

/** nact-rpc tells to the server child's Blob endpoint at `address`: `remote_rpc_tell_stream`. */
export function rpcTellStreamScenario(address: string): Scenario {
  return streamScenario('remote_rpc_tell_stream', async () => {
    const { gateway, close } = await connectBlob(address);
    return {
      send: (blob) => {
        for (let i = 0; i < STREAM_BATCH; i++) gateway.put(blob);
      },
      received: () => gateway.received(),
      close,
    };
  });
}
