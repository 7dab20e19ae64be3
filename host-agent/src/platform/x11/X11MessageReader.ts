/** `GenericEvent` (XGE): like a reply, its length field counts extra 4-byte units. */
const GENERIC_EVENT = 35;
/** Every X11 reply, error and event is at least this long. */
const HEADER_BYTES = 32;

/**
 * Called for each complete message. `owned` is true when `message` is a buffer of its own
 * (assembled from several chunks); otherwise it is a view into a chunk the socket delivered, and
 * a handler that keeps it should copy it (a small view would pin the whole chunk).
 */
export type X11MessageHandler = (message: Buffer, owned: boolean) => void;

/**
 * Cuts the byte stream from an X server into messages (replies, errors, events), whatever the
 * chunk boundaries.
 *
 * Chunks are queued, not concatenated: a message is copied at most once, when it spans chunks.
 * A 4 MiB GetImage reply arriving in 64 KiB chunks therefore costs one 4 MiB copy, where
 * re-concatenating the inbox on every chunk would copy ~128 MiB.
 */
export class X11MessageReader {
  private readonly chunks: Buffer[] = [];
  /** Bytes of `chunks[0]` already handed out. */
  private headOffset = 0;
  /** Unread bytes in `chunks`. */
  private queued = 0;
  /** Size of the message at the head once its header has been read; 0 before. */
  private headSize = 0;

  constructor(private readonly onMessage: X11MessageHandler) {}

  /** Unread bytes (an incomplete message waiting for more data). */
  get pendingBytes(): number {
    return this.queued;
  }

  /** Feeds the next chunk; calls the handler for each message it completes. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    for (;;) {
      if (this.headSize === 0) {
        if (this.queued < HEADER_BYTES) return;
        this.headSize = this.sizeOfHead();
      }
      if (this.queued < this.headSize) return;
      const size = this.headSize;
      this.headSize = 0;
      const head = this.chunks[0]!;
      if (head.length - this.headOffset >= size) {
        const message = head.subarray(this.headOffset, this.headOffset + size);
        this.consume(size);
        this.onMessage(message, false);
      } else {
        this.onMessage(this.take(size), true);
      }
    }
  }

  /** Reads the size of the message at the head (at least HEADER_BYTES are queued). */
  private sizeOfHead(): number {
    const head = this.chunks[0]!;
    const header = head.length - this.headOffset >= 8 ? head.subarray(this.headOffset, this.headOffset + 8) : this.peek(8);
    const kind = header[0]! & 0x7f;
    const extra = kind === 1 || kind === GENERIC_EVENT ? header.readUInt32LE(4) * 4 : 0;
    return HEADER_BYTES + extra;
  }

  /** Copies the first `n` queued bytes without consuming them. */
  private peek(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    let offset = this.headOffset;
    for (const chunk of this.chunks) {
      filled += chunk.copy(out, filled, offset, Math.min(chunk.length, offset + n - filled));
      offset = 0;
      if (filled === n) break;
    }
    return out;
  }

  /** Removes the first `n` queued bytes into a new buffer. */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const count = Math.min(chunk.length - this.headOffset, n - filled);
      chunk.copy(out, filled, this.headOffset, this.headOffset + count);
      filled += count;
      this.consume(count);
    }
    return out;
  }

  /** Drops `n` bytes from the head chunk (never more than it holds). */
  private consume(n: number): void {
    this.headOffset += n;
    this.queued -= n;
    if (this.headOffset === this.chunks[0]!.length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}
