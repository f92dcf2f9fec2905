/**
 * Internals shared between nact-rpc packages: how a runtime reaches an endpoint's lifecycle.
 * Not part of the public API; applications import from `@nact-rpc/core`.
 *
 * @packageDocumentation
 */
export { ENDPOINT_HOOKS, type EndpointHooks, type HasEndpointHooks } from './endpoint/endpointHooks';
export { MAX_DELAY_MS, PendingCalls, type CallDescription, type RegisteredCall } from './calls/PendingCalls';
export { encodeArguments, encodeError, encodeOutcome, encodeSizeError } from './codec/encodeOutcome';
export { withCallerStack } from './errors/withCallerStack';
