/**
 * Certificates made at test time, for the TLS tests: the bench's throwaway certificate
 * authority, which issues a key and a certificate per service, naming the service and valid for
 * `localhost` and `127.0.0.1` (or the hosts given).
 */
export {
  BenchCertificateAuthority as TestCertificateAuthority,
  type BenchTls as KeyAndCertificate,
} from '../../packages/bench/src/remote/certificates';
