/**
 * Called for every complete frame. `frame` is the reader's own buffer and is overwritten by the
 * next frame: use or copy it before returning. `changed` is false when every byte equals the
 * previous frame (always true for the first frame).
 */
export type RawFrameHandler = (frame: Buffer, changed: boolean) => void;

/**
 * Cuts a raw video byte stream (e.g. ffmpeg `-f rawvideo` on a pipe) into frames of exactly
 * `frameBytes` bytes, whatever the chunk boundaries, and tells whether each frame changed.
 *
 * It keeps a single frame buffer and compares each incoming slice with the bytes it would
 * replace, copying only slices that differ. An unchanged screen therefore costs one memcmp per
 * frame and no copies.
 */
export class RawFrameReader {
  private readonly frame: Buffer;
  /** Bytes of the current frame received so far. */
  private filled = 0;
  private changed = true;

  constructor(
    /** Bytes per frame. */
    readonly frameBytes: number,
    private readonly onFrame: RawFrameHandler,
  ) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new RangeError(`bad frame size ${frameBytes}`);
    this.frame = Buffer.alloc(frameBytes);
  }

  /** Bytes of an incomplete frame waiting for more data. */
  get pendingBytes(): number {
    return this.filled;
  }

  /** Feeds the next chunk of the stream; calls the handler for each frame it completes. */
  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      const n = Math.min(this.frameBytes - this.filled, chunk.length - pos);
      const incoming = chunk.subarray(pos, pos + n);
      const current = this.frame.subarray(this.filled, this.filled + n);
      if (!current.equals(incoming)) {
        current.set(incoming);
        this.changed = true;
      }
      pos += n;
      this.filled += n;
      if (this.filled === this.frameBytes) {
        const changed = this.changed;
        this.filled = 0;
        this.changed = false;
        this.onFrame(this.frame, changed);
      }
    }
  }
}
