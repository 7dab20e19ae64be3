/** The 32-byte header at the start of an IVF stream. */
export interface IvfHeader {
  /** Four-character code of the codec: `AV01`, `VP90`, `VP80`. */
  fourcc: string;
  /** Pixels. */
  width: number;
  height: number;
  /** Time base of `pts`: numerator / denominator seconds. */
  timebase: { num: number; den: number };
}

/** One frame of an IVF stream: a temporal unit (AV1) or a frame (VP8/VP9). */
export interface IvfFrame {
  /** Presentation time in units of the header's time base. */
  pts: number;
  data: Uint8Array;
}

/** Bytes of the file header and of each frame header. */
const FILE_HEADER = 32;
const FRAME_HEADER = 12;
/** Largest frame accepted (a lossless 4K frame is far below). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * Cuts an IVF byte stream (ffmpeg `-f ivf` on a pipe) into frames, whatever the chunk boundaries.
 * Throws from `push()` on a malformed stream.
 */
export class IvfReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private _header: IvfHeader | undefined;

  constructor(private readonly onFrame: (frame: IvfFrame, header: IvfHeader) => void) {}

  /** The file header, once its 32 bytes have arrived. */
  get header(): IvfHeader | undefined {
    return this._header;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Feeds the next chunk; calls the handler for every frame it completes. */
  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.length ? concat(this.buffer, chunk) : chunk;
    let pos = 0;
    const view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    if (!this._header) {
      if (this.buffer.length < FILE_HEADER) return;
      this._header = parseHeader(view, this.buffer);
      pos = FILE_HEADER;
    }
    while (this.buffer.length - pos >= FRAME_HEADER) {
      const size = view.getUint32(pos, true);
      if (size > MAX_FRAME_BYTES) throw new Error(`IVF frame of ${size} bytes is too large`);
      if (this.buffer.length - pos - FRAME_HEADER < size) break;
      const pts = Number(view.getBigUint64(pos + 4, true));
      const start = pos + FRAME_HEADER;
      // A copy, so that the frame does not pin the (possibly large) chunk it came in.
      const data = this.buffer.slice(start, start + size);
      pos = start + size;
      this.onFrame({ pts, data }, this._header);
    }
    this.buffer = pos === this.buffer.length ? new Uint8Array(0) : this.buffer.subarray(pos);
  }
}

function parseHeader(view: DataView, bytes: Uint8Array): IvfHeader {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'DKIF') throw new Error(`not an IVF stream (magic ${JSON.stringify(magic)})`);
  const headerSize = view.getUint16(6, true);
  if (headerSize !== FILE_HEADER) throw new Error(`unexpected IVF header size ${headerSize}`);
  return {
    fourcc: String.fromCharCode(...bytes.subarray(8, 12)),
    width: view.getUint16(12, true),
    height: view.getUint16(14, true),
    timebase: { den: view.getUint32(16, true), num: view.getUint32(20, true) },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
