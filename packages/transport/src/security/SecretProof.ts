import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The bytes of a nonce each side puts in its hello. */
export const NONCE_BYTES = 32;

/** The bytes of a proof (HMAC-SHA256). */
export const PROOF_BYTES = 32;

/** A fresh random nonce for a hello, base64. */
export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64');
}

/** Which side of an association computes a proof: the one that connected, or the one that accepted. */
export type ProofRole = 'client' | 'server';

/**
 * The shared-secret challenge-response of one association. Each side's hello carries a fresh
 * nonce; the transcript is the SHA-256 of both hello payloads as sent (the connecting side's
 * first), so it covers both nonces and everything each side said about itself. A side proves
 * it holds the secret with HMAC-SHA256(secret, role ‖ transcript): the role label keeps one
 * side's proof from being reflected back as the other's, and the fresh nonces keep a proof
 * from being replayed on another association. The secret itself never crosses the wire, and
 * proofs are compared in constant time.
 */
export class SecretProof {
  private readonly transcript: Buffer;

  /**
   * @param secret - The shared secret.
   * @param clientHello - The payload of the connecting side's Hello frame.
   * @param serverHello - The payload of the accepting side's HelloAccept frame.
   */
  constructor(
    private readonly secret: Buffer,
    clientHello: Uint8Array,
    serverHello: Uint8Array,
  ) {
    this.transcript = createHash('sha256').update(clientHello).update(serverHello).digest();
  }

  /** The proof that side `role` sends. */
  proof(role: ProofRole): Buffer {
    return createHmac('sha256', this.secret).update(`nact-rpc ${role} proof`).update(this.transcript).digest();
  }

  /** Whether `received` is the proof side `role` must send, compared in constant time. */
  verify(role: ProofRole, received: Uint8Array): boolean {
    const expected = this.proof(role);
    return received.length === expected.length && timingSafeEqual(received, expected);
  }
}
