// docs/security.md, "Configuration": a service that listens on every interface, authenticated by
// a shared secret, or by mutual TLS. The keys and certificates are read from the working directory.
import { readFileSync } from 'node:fs';
import { NactRpcService } from '@nact-rpc/runtime-nact';

// #region sharedSecret
export function startJobsWithSecret(port = 50100): Promise<NactRpcService> {
  return NactRpcService.create({
    name: 'jobs',
    listen: { host: '0.0.0.0', port },
    security: { sharedSecret: process.env.NACT_RPC_SECRET }, // at least 16 bytes; use 32 random ones
  });
}
// #endregion sharedSecret

// #region tls
export function startJobsWithTls(port = 50100): Promise<NactRpcService> {
  return NactRpcService.create({
    name: 'jobs',
    listen: { host: '0.0.0.0', port },
    security: {
      tls: {
        key: readFileSync('jobs.key'), // PEM
        cert: readFileSync('jobs.crt'), // names the service: CN=jobs or DNS:jobs, and the host
        ca: readFileSync('ca.crt'), // the CAs trusted for peers' certificates
        // requireClientCertificate: true (the default): mutual TLS
      },
    },
  });
  // Its endpoints' addresses: nact-rpcs://jobs@<host>:50100/<endpointId>
}
// #endregion tls
