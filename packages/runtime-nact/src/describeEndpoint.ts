import type { EndpointHooks } from '@nact-rpc/core/internal';

/**
 * How log and error messages name an endpoint: `endpoint <id> (<class>) at <address>`. Built
 * when a message needs it, never per call: only failures and refusals are worded.
 */
export function describeEndpoint(hooks: Pick<EndpointHooks, 'endpointId' | 'className'>, address: string): string {
  return `endpoint ${hooks.endpointId} (${hooks.className}) at ${address}`;
}
