/**
 * Type-level tests of the invocation messages plain nact actors send to endpoints. This file is
 * not run: it is compiled by `npx tsc -p tsconfig.json --noEmit`. Each `@ts-expect-error` line
 * must be an error (tsc reports unused ones), and everything else must compile.
 */
import type { Ref } from 'nact';
import { ask, defineProtocol, tell } from '@nact-rpc/core';
import {
  invocationMessage,
  type ActorInvocation,
  type ActorInvocationReply,
  type ActorInvocationReplyOf,
  type InvocationOptionsOf,
  type MethodArgsOf,
} from '@nact-rpc/runtime-nact';
import type { Equals, Expect } from '../../../../test/support/typeAssertions';

const Base = defineProtocol('Base', { ping: ask<[], string>() });
const Jobs = defineProtocol(
  'Jobs',
  {
    status: ask<[jobId: string], 'running' | 'done'>(),
    size: ask<[], Promise<number>>(),
    notify: tell<[message: string]>(),
  },
  { extends: [Base] },
);

export type DerivedTypeChecks = [
  Expect<Equals<MethodArgsOf<typeof Jobs, 'status'>, [jobId: string]>>,
  Expect<Equals<MethodArgsOf<typeof Jobs, 'notify'>, [message: string]>>,
  Expect<Equals<MethodArgsOf<typeof Jobs, 'ping'>, []>>,
  // A result declared as a promise is the value the reply carries.
  Expect<Equals<ActorInvocationReplyOf<typeof Jobs, 'size'>, ActorInvocationReply<number>>>,
  Expect<Equals<ActorInvocationReplyOf<typeof Jobs, 'status'>, ActorInvocationReply<'running' | 'done'>>>,
  // A tell has no reply, and its options have no replyTo.
  Expect<Equals<ActorInvocationReplyOf<typeof Jobs, 'notify'>, never>>,
  Expect<Equals<'replyTo' extends keyof InvocationOptionsOf<typeof Jobs, 'notify'> ? true : false, false>>,
];

export function invocations(self: Ref<unknown>): ActorInvocation[] {
  return [
    invocationMessage(Jobs, 'status', ['job-1'], { replyTo: self, correlationId: 1 }),
    invocationMessage(Jobs, 'status', ['job-1'], { fencingToken: 'session-1' }),
    invocationMessage(Jobs, 'notify', ['hello']),
    // Methods of an extended protocol are methods of the protocol.
    invocationMessage(Jobs, 'ping', []),
    // @ts-expect-error: not a method of the protocol.
    invocationMessage(Jobs, 'shout', []),
    // @ts-expect-error: an argument of the wrong type.
    invocationMessage(Jobs, 'status', [42]),
    // @ts-expect-error: an argument missing.
    invocationMessage(Jobs, 'status', []),
    // @ts-expect-error: a tell is never answered, so it takes no replyTo.
    invocationMessage(Jobs, 'notify', ['hello'], { replyTo: self }),
    // @ts-expect-error: a fencing token is a string, number or bigint.
    invocationMessage(Jobs, 'status', ['job-1'], { fencingToken: { leader: true } }),
  ];
}
