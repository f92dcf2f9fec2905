/** `local_direct_call`: a plain method call on an object, in a loop. The upper limit. */
import { syncLoop } from '../measure';
import { makePayload, type Payload } from '../payload';
import type { Scenario } from '../scenario';

class DirectEcho {
  calls = 0;

  echo(payload: Payload): Payload {
    this.calls++;
    return payload;
  }
}

/** The direct-call scenario. */
export const directCall: Scenario = {
  name: 'local_direct_call',
  unit: 'calls/s',
  open() {
    const target = new DirectEcho();
    const payload = makePayload(1);
    let sink = 0;
    return {
      run: (durationMs) => syncLoop(durationMs, () => (sink += target.echo(payload).id)),
      close() {
        if (sink !== target.calls) throw new Error(`direct_call: ${sink} echoes for ${target.calls} calls`);
      },
    };
  },
};
