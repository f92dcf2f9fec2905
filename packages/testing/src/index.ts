/**
 * `@nact-rpc/testing`: what a test of a nact-rpc service needs. A {@link VirtualClock} drives
 * a service's time (timeouts, scheduled runs, heartbeats, backoff) without real waiting.
 *
 * @packageDocumentation
 */
export { VirtualClock, type VirtualClockOptions } from './clock/VirtualClock';
