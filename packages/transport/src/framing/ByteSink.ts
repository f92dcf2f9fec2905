/** Where a `FrameWriter` writes: a socket, or anything with a `write`. */
export interface ByteSink {
  /** Queues `data`; `sent` is called once the sink no longer needs it (with an error if it failed). */
  write(data: Uint8Array, sent?: (error?: Error | null) => void): unknown;
  /** The bytes written and not yet handed to the network (a socket's own buffer); 0 if absent. */
  readonly writableLength?: number;
  /** Whether the sink is destroyed: its `writableLength` no longer says what was sent. */
  readonly destroyed?: boolean;
  /** Holds writes back until {@link ByteSink.uncork}, to send them together (a socket's `writev`). */
  cork?(): void;
  /** Sends the writes held back since {@link ByteSink.cork}. */
  uncork?(): void;
}
