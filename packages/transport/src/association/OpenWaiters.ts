import { RpcConnectionError } from '@nact-rpc/core';

/** Those waiting for an association to open: told once, when it opens or fails to. */
export class OpenWaiters {
  private waiters: { resolve: () => void; reject: (error: RpcConnectionError) => void }[] = [];

  /** A promise settled by {@link opened} or {@link failed}. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The association opened: every waiter resolves. */
  opened(): void {
    for (const waiter of this.take()) waiter.resolve();
  }

  /** The association closed before it opened, for `reason`: every waiter rejects with an `RpcConnectionError`. */
  failed(reason: string): void {
    for (const waiter of this.take()) waiter.reject(new RpcConnectionError(reason));
  }

  private take(): OpenWaiters['waiters'] {
    const waiters = this.waiters;
    this.waiters = [];
    return waiters;
  }
}
