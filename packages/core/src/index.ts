import { SuperJSON } from 'superjson';
export function roundTrip(v: unknown): unknown {
  const s = new SuperJSON();
  return s.parse(s.stringify(v));
}
