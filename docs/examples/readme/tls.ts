// README.md, "TLS and authentication": a greeter that listens with mutual TLS and a shared
// secret, and a caller configured the same way. The keys and certificates are read from the
// working directory.
import { readFileSync } from 'node:fs';
import { NactRpcService } from '@nact-rpc/runtime-nact';

// #region tls
export function startGreeter(port = 50100): Promise<NactRpcService> {
  return NactRpcService.create({
    name: 'greeter',
    listen: { host: '0.0.0.0', port },
    security: {
      tls: { key: readFileSync('greeter.key'), cert: readFileSync('greeter.crt'), ca: readFileSync('ca.crt') },
      sharedSecret: process.env.NACT_RPC_SECRET,
    },
  });
  // its addresses: nact-rpcs://greeter@<host>:50100/<endpointId> (TLS)
}

export function startCaller(): NactRpcService {
  return new NactRpcService({
    name: 'caller',
    security: {
      tls: { key: readFileSync('caller.key'), cert: readFileSync('caller.crt'), ca: readFileSync('ca.crt') },
      sharedSecret: process.env.NACT_RPC_SECRET,
    },
  });
}
// #endregion tls
