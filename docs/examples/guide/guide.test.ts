import { TestCertificateAuthority } from '../../../test/support/certificates';
import { countLocally, countRemotely } from './counter';
import { leaderChange } from './leaderChange';
import { countSecurely } from './secure';

describe('docs/guide.md', () => {
  test('a counter called in the same process keeps the order of its messages', async () => {
    expect(await countLocally()).toBe(5);
  });

  test('a counter served over TCP answers a service that connects by address', async () => {
    expect(await countRemotely()).toBe(3);
  });

  test('a counter served with mutual TLS and a shared secret answers a client configured the same way', async () => {
    const authority = await TestCertificateAuthority.create();
    const [server, client] = await Promise.all([authority.issue('counting'), authority.issue('client')]);
    const secret = 'a shared secret of thirty-two bytes';
    expect(await countSecurely({ ...server, ca: authority.pem }, { ...client, ca: authority.pem }, secret)).toBe(1);
  });

  test('after a leader change, the former session is refused and the new one is served', async () => {
    expect(await leaderChange()).toEqual(['job 1', 'refused: FENCING_TOKEN', 'job 2']);
  });
});
