import { execFileSync } from 'node:child_process';

let made = 0;

/**
 * A second network namespace, joined to this one by a veth pair: a host of its own on a /30,
 * whose link a test can take down so that traffic to it vanishes without a reset, as across a
 * real partition. Needs root and `ip` (iproute2); {@link NetworkNamespace.create} returns
 * `undefined` where the machine does not allow namespaces.
 */
export class NetworkNamespace {
  private removed = false;

  private constructor(
    /** The namespace's name, for `ip netns exec`. */
    readonly name: string,
    /** This side's end of the veth pair. */
    private readonly hostLink: string,
    /** The namespace's end of the veth pair. */
    private readonly peerLink: string,
    /** This side's address on the link. */
    readonly hostAddress: string,
    /** The namespace's address: a server there listens on it. */
    readonly peerAddress: string,
  ) {}

  /** Makes a namespace joined to this one, or returns `undefined` if the machine does not allow it. */
  static create(): NetworkNamespace | undefined {
    const id = `${process.pid % 100_000}x${made++}`;
    // A /30 of 10.211.0.0/16 per namespace: pid and counter pick it, so parallel runs differ.
    const block = ((process.pid % 4_000) * 16 + made) % 16_384;
    const base = `10.211.${block >> 6}.${(block & 63) * 4}`;
    const prefix = base.slice(0, base.lastIndexOf('.') + 1);
    const last = Number(base.slice(base.lastIndexOf('.') + 1));
    const space = new NetworkNamespace(
      `nrpc${id}`,
      `nrh${id}`,
      `nrp${id}`,
      `${prefix}${last + 1}`,
      `${prefix}${last + 2}`,
    );
    try {
      ip('netns', 'add', space.name);
    } catch {
      return undefined;
    }
    try {
      ip('link', 'add', space.hostLink, 'type', 'veth', 'peer', 'name', space.peerLink);
      ip('link', 'set', space.peerLink, 'netns', space.name);
      ip('addr', 'add', `${space.hostAddress}/30`, 'dev', space.hostLink);
      ip('link', 'set', space.hostLink, 'up');
      ip('-n', space.name, 'addr', 'add', `${space.peerAddress}/30`, 'dev', space.peerLink);
      ip('-n', space.name, 'link', 'set', space.peerLink, 'up');
      ip('-n', space.name, 'link', 'set', 'lo', 'up');
      return space;
    } catch (error) {
      space.remove();
      throw error;
    }
  }

  /** The command line prefix that runs a program inside the namespace. */
  exec(command: string, ...args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name, command, ...args]];
  }

  /** Takes the namespace's link down: what is sent to it vanishes, nothing is reset. */
  cut(): void {
    ip('-n', this.name, 'link', 'set', this.peerLink, 'down');
  }

  /** Brings the link back up. */
  heal(): void {
    ip('-n', this.name, 'link', 'set', this.peerLink, 'up');
  }

  /** Deletes the namespace and its link (kill what runs inside first). */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    ipQuietly('link', 'del', this.hostLink);
    ipQuietly('netns', 'del', this.name);
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs `ip`, ignoring only a failure to remove what is already gone. */
function ipQuietly(...args: string[]): void {
  try {
    ip(...args);
  } catch (error) {
    const message = String((error as { stderr?: Buffer }).stderr ?? error);
    if (!/Cannot find device|No such file or directory|not exist/i.test(message)) throw error;
  }
}
