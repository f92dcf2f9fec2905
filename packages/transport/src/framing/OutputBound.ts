/**
 * The per-connection output limit of a {@link FrameWriter}: the bytes waiting to be sent, the
 * frames not flushed yet plus the socket's own buffer (`writableLength`), may not exceed
 * `maxOutputBytes`. A peer that does not read its socket, or has gone silent, makes them pile up;
 * past the limit the connection is given up instead of this process's memory.
 */
export interface OutputBound {
  /** The most bytes that may wait to be sent on the connection. */
  readonly maxOutputBytes: number;
  /**
   * Called once, when a frame would take the bytes waiting past the limit: the frame is dropped
   * and the writer stops; the owner closes the connection (see {@link describeOverflow}).
   * @param waiting - The bytes that would wait, with that frame.
   */
  onOverflow(waiting: number): void;
}

/** The reason a connection closes at its output limit, for logs and the errors of its asks. */
export function describeOverflow(waiting: number, maxOutputBytes: number): string {
  return `the peer does not read: ${waiting} bytes wait to be sent, over maxOutputBytes (${maxOutputBytes})`;
}
