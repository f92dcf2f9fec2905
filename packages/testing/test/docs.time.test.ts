// The example of docs/testing.md, "Driving time": the page shows the region below (npm run docs:sync).
// #region example
import { ask, defineProtocol, RpcEndpoint, RpcTimeoutError, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { VirtualClock } from '@nact-rpc/testing';

const Reports = defineProtocol('Reports', {
  nightly: ask<[], string>(),
});

@serves(Reports)
class ReportEndpoint extends RpcEndpoint {
  readonly sent: number[] = [];

  protected override onStart(): void {
    // Every night at the same time: a real service would wait 24 hours.
    const night = (): void => {
      this.sent.push(this.getRpcService().getClock().now());
      this.scheduleRunAsync(night, 24 * 3_600_000);
    };
    this.scheduleRunAsync(night, 24 * 3_600_000);
  }

  nightly(): Promise<string> {
    return new Promise(() => undefined); // never answers
  }
}

test('a week of nightly reports, and an ask that times out after ten minutes', async () => {
  const clock = new VirtualClock({ startMs: 0 });
  const service = new NactRpcService({ clock, askTimeoutMs: 10 * 60_000 });
  const endpoint = new ReportEndpoint(service);
  await endpoint.start();
  const reports = await service.connect(endpoint.getAddress(), Reports);

  // Expect the rejection before time moves: it happens while the clock advances.
  const timedOut = expect(reports.nightly()).rejects.toBeInstanceOf(RpcTimeoutError);
  await clock.advance(10 * 60_000);
  await timedOut;

  await clock.advance(7 * 24 * 3_600_000);
  expect(endpoint.sent).toEqual([1, 2, 3, 4, 5, 6, 7].map((day) => day * 24 * 3_600_000));
  await service.closeAsync();
});
// #endregion example
