// docs/guide.md, "Interceptors": an authorization check on the serving side, and timing on both sides.
// #region interceptors
import { RpcPermissionDeniedError, type CallInterceptor, type ServeInterceptor } from '@nact-rpc/core';

/** Serving side: only callers whose metadata says `role: writer` may change the counter. */
export const writersOnly: ServeInterceptor = (call, next) => {
  if (call.method !== 'get' && call.metadata['role'] !== 'writer') {
    throw new RpcPermissionDeniedError(`${call.protocol}.${call.method} needs role writer`); // the method never runs
  }
  return next();
};

/** Serving side: how long each method took. `next()` comes first, before any await. */
export function timeServed(log: (line: string) => void): ServeInterceptor {
  return async (call, next) => {
    const started = performance.now();
    try {
      return await next(); // next() runs the method at once, in the endpoint's main thread
    } finally {
      log(`served ${call.method} in ${(performance.now() - started).toFixed(1)} ms`);
    }
  };
}

/** Calling side: each call, its outcome and how long it took. */
export function timeCalls(log: (line: string) => void): CallInterceptor {
  return async (call, next) => {
    const started = performance.now();
    let outcome = 'failed';
    try {
      const result = await next(); // sends the call, and waits for its answer
      outcome = `answered ${String(result)}`;
      return result;
    } finally {
      log(`${call.method}(${call.args.join()}) ${outcome} in ${(performance.now() - started).toFixed(1)} ms`);
    }
  };
}
// #endregion interceptors

import { withCallOptions } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { CounterEndpoint, CounterProtocol } from './counter';

/** Calls a counter through interceptors on both sides; answers what they logged. */
export async function intercepted(): Promise<{ refused: string; served: string[]; called: string[] }> {
  let refused = '';
  const served: string[] = [];
  const called: string[] = [];
  // #region services
  const server = await NactRpcService.create({
    name: 'counting',
    listen: { port: 0 },
    interceptors: { serves: [timeServed((line) => served.push(line)), writersOnly] }, // the first outermost
  });
  const counter = new CounterEndpoint(server, 'counter');
  await counter.start();

  const client = new NactRpcService({
    name: 'client',
    interceptors: { calls: [timeCalls((line) => called.push(line))] },
  });
  const gateway = await client.connect(counter.getAddress(), CounterProtocol);
  try {
    await gateway.increment(1);
  } catch (error) {
    if (!(error instanceof RpcPermissionDeniedError)) throw error;
    refused = error.code; // "RPC_PERMISSION_DENIED": increment never ran
  }
  await withCallOptions(gateway, { metadata: { role: 'writer' } }).increment(2); // 2
  await gateway.get(); // 2: reading needs no role

  await client.closeAsync();
  await server.closeAsync();
  // #endregion services
  return { refused, served, called };
}
