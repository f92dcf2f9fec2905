/**
 * An error class for codec tests that is meant not to be registered with the codec: it
 * reaches a remote caller as a plain `Error` that keeps its name, `UnregisteredError`.
 */
export class UnregisteredError extends Error {
  /** @param message - The message. */
  constructor(message: string) {
    super(message);
    this.name = 'UnregisteredError';
  }
}
