import { roundTrip } from '@nact-rpc/core';
import { start, spawnStateless, dispatch } from 'nact';
test('smoke', () => {
  expect(roundTrip(new Map([[1, 2]]))).toEqual(new Map([[1, 2]]));
  const sys = start();
  spawnStateless(sys, () => undefined, 'x');
  dispatch;
});
