import { dispatch, type Ref } from 'nact';
import { ask, defineProtocol, RpcEndpoint, serves, tell, type RpcService } from '@nact-rpc/core';

/** The greeter's protocol: a method for each way an invocation can go (answered, thrown, never settled). */
export const Greeter = defineProtocol('GreeterGateway', {
  greet: ask<[name: string], string>(),
  fail: ask<[], void>(),
  note: tell<[line: string]>(),
  inMainThread: ask<[], boolean>(),
  hang: ask<[], void>(),
  announce: ask<[text: string], void>(),
});

/** What a greeter tells the user's actor it was given. */
export interface Announcement {
  readonly type: 'announcement';
  readonly text: string;
  readonly from: string;
}

/**
 * An endpoint for the tests of embedding: it records the calls it runs and how often it
 * stopped, and messages a plain nact actor (`audience`) when asked to announce.
 */
@serves(Greeter)
export class GreeterEndpoint extends RpcEndpoint {
  /** The calls run, in order, as `'<method> <argument>'`. */
  readonly calls: string[] = [];
  /** What `fail` throws, so that a test can check it arrives as the same object. */
  readonly failure = new RangeError('the greeter failed');
  /** How often `onStop` ran: a terminated endpoint's is exactly once. */
  stops = 0;

  constructor(
    service: RpcService,
    id: string,
    private readonly audience?: Ref<Announcement>,
  ) {
    super(service, id);
  }

  greet(name: string): string {
    this.calls.push(`greet ${name}`);
    return `hello ${name}`;
  }
  fail(): void {
    throw this.failure;
  }
  note(line: string): void {
    this.calls.push(`note ${line}`);
  }
  inMainThread(): boolean {
    this.validateRunsInMainThread();
    return true;
  }
  hang(): Promise<void> {
    return new Promise<void>(() => {});
  }
  announce(text: string): void {
    if (this.audience !== undefined) dispatch(this.audience, { type: 'announcement', text, from: this.getAddress() });
  }
  protected override onStop(): void {
    this.stops++;
  }
}

/** A {@link GreeterEndpoint} of `service`, started. */
export async function startGreeter(
  service: RpcService,
  id = 'greeter',
  audience?: Ref<Announcement>,
): Promise<GreeterEndpoint> {
  const greeter = new GreeterEndpoint(service, id, audience);
  await greeter.start();
  return greeter;
}
