import type { Outcome } from '@nact-rpc/core/internal';
import { sharesKeptHiddenClass, staysOptimizedThroughFullCollections } from '../../../test/support/hiddenClasses';
import type { ActorScope } from '../src/ActorScope';
import { ServedInvocation } from '../src/serveCall';

/** An invocation of an ask with a deadline, served and answered, as `serveCall` serves one. */
function servedAsk(): ServedInvocation {
  const answers: Outcome[] = [];
  const scope = {
    endpoint: {},
    context: { serving: undefined },
    turnOwner: {},
    endpointId: 'echo',
    describe: () => 'endpoint echo',
  } as unknown as ActorScope;
  const replyTo = { sink: { complete: (_id: number, outcome: Outcome) => answers.push(outcome) }, callId: 7 };
  const invocation = new ServedInvocation(
    scope,
    (text: unknown) => text,
    { kind: 'invoke', protocol: 'Echo', method: 'echo', args: ['hi'], replyTo, call: { deadline: 1_000.5 } },
    ['hi'],
  );
  invocation.serve();
  expect(answers).toEqual([{ ok: true, value: 'hi' }]);
  return invocation;
}

describe('the hidden class of served invocations', () => {
  test('an invocation served with a deadline has the hidden class of the one kept for good', () => {
    const served = servedAsk();
    expect(sharesKeptHiddenClass(served)).toBe(true);
  });

  test('code optimized for invocations stays optimized through full collections while none is left', () => {
    expect(
      staysOptimizedThroughFullCollections(servedAsk, '(served) => served.started > 0 && served.args.length'),
    ).toBe(true);
  });
});
