/**
 * The rejection of a call to a method a {@link StubGateway} has no implementation for. Its
 * message names the protocol, the method and the stub's address, so a test that forgot to stub
 * a method says which one.
 *
 * @example
 * ```ts
 * const stub = new StubGateway(JobsProtocol, {});
 * await expect(stub.gateway.status('job-1')).rejects.toThrow(StubMethodNotImplementedError);
 * ```
 */
export class StubMethodNotImplementedError extends Error {
  /** The stable, machine-readable code of this error class. */
  readonly code = 'STUB_METHOD_NOT_IMPLEMENTED' as const;

  /**
   * @param protocolName - The name of the stub's protocol.
   * @param methodName - The method that was called.
   * @param address - The stub's address.
   */
  constructor(
    readonly protocolName: string,
    readonly methodName: string,
    readonly address: string,
  ) {
    super(
      `${protocolName}.${methodName} was called on the stub gateway at ${address}, which has no implementation ` +
        `of it: give one to the StubGateway (or with implement('${methodName}', …)).`,
    );
    this.name = 'StubMethodNotImplementedError';
  }
}
