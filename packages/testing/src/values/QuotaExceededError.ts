/**
 * An error class with a field of its own, for codec tests: registered with a codec
 * (`registerErrorClass(QuotaExceededError)`), it reaches a remote caller as a
 * `QuotaExceededError` with its `limit` and `code`.
 */
export class QuotaExceededError extends Error {
  /**
   * How often the constructor ran, so that a test can tell that a codec rebuilds an error
   * without running it. Only ever grows; read it before and after.
   */
  static constructorRuns = 0;

  /** A code of the error's own, kept across the wire. */
  readonly code = 'E_QUOTA';

  /**
   * @param message - The message.
   * @param limit - The quota that was exceeded.
   * @param options - The standard error options (`cause`).
   */
  constructor(
    message: string,
    readonly limit: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'QuotaExceededError';
    QuotaExceededError.constructorRuns++;
  }
}
