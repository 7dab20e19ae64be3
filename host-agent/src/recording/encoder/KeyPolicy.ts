/** Options of {@link KeyPolicy}; see ScreenRecorderEncoderOptions for their meaning and defaults. */
export interface KeyPolicyOptions {
  keyAfterFrames?: number;
  idleKeyMs?: number;
  maxKeyIntervalFrames?: number;
  rekey?: RekeyRule | false;
}

/**
 * When an inter frame that came out much larger than a key frame of the same screen would be is
 * encoded again, by a new encoder, as a key frame (and the inter frame dropped). This happens
 * when most of the screen shows text the previous frames cannot predict: AV1 intra coding with
 * intra block copy then reuses glyphs anywhere in the frame, which inter prediction cannot
 * (measured: a terminal page raised over another one cost 50-60 KB as an inter frame and about
 * 21 KB as a key frame).
 */
export interface RekeyRule {
  /** An inter frame above this many times the last key frame's bytes is encoded again. */
  factor: number;
  /** ... and above this many bytes. */
  minBytes: number;
  /** ... and at least this many frames after the last key frame. */
  minFrames: number;
}

/**
 * When a changed frame becomes a key frame because it brings content the previous frame cannot
 * predict (a window of another colour raised over most of the screen): intra coding with block
 * copy then costs less than inter coding (measured: about 21 KB instead of 50-60 KB for a terminal
 * full of text raised over another one).
 */
export interface NewContentKey {
  /** Least share of the screen changed (0..1). */
  fraction: number;
  /** Least mean luma shift of the changed blocks (0..255). */
  lumaShift: number;
  /** Least frames since the last key frame. */
  minFrames: number;
}

/** The re-key rule the recorder uses (bench/RECORDING-NOTES.md). */
export const DEFAULT_REKEY: RekeyRule = { factor: 1.5, minBytes: 20_000, minFrames: 5 };

/** What to do with one grabbed frame. */
export type SampleAction =
  /** Unchanged and nothing due: drop it. */
  | 'skip'
  /** Encode it as the next frame of the current encoder. */
  | 'frame'
  /** Start a new encoder with it, so that it becomes a key frame. */
  | 'key';

/**
 * Where key frames go. The first frame is one. After `keyAfterFrames` encoded frames a new one
 * is due and is made from the first grabbed frame after the screen has been unchanged for
 * `idleKeyMs` (so the costly key frame is encoded while nothing else waits, and does not replace
 * a changed frame). If the screen never rests, the changed frame after `maxKeyIntervalFrames`
 * frames becomes the key frame. And an inter frame that came out far larger than a key frame
 * would be is encoded again as one (`rekey`). Pure bookkeeping: no clock of its own.
 */
export class KeyPolicy {
  private framesSinceKey = 0;
  private lastChangeAt = Number.NEGATIVE_INFINITY;
  private first = true;
  private lastKeyBytes = 0;

  constructor(private readonly options: KeyPolicyOptions = {}) {}

  /** Decides for a frame grabbed at `at` (milliseconds, any clock) that did or did not change. */
  decide(changed: boolean, at: number): SampleAction {
    if (changed) this.lastChangeAt = at;
    let action: SampleAction = 'skip';
    if (this.first) action = 'key';
    else if (changed) action = this.framesSinceKey >= (this.options.maxKeyIntervalFrames ?? 180) ? 'key' : 'frame';
    else if (this.framesSinceKey >= (this.options.keyAfterFrames ?? 60) && at - this.lastChangeAt >= (this.options.idleKeyMs ?? 2000)) action = 'key';
    this.first = false;
    if (action === 'key') this.framesSinceKey = 1;
    else if (action === 'frame') this.framesSinceKey++;
    return action;
  }

  /** Notes the size of a key frame that came out of the encoder. */
  keyEncoded(bytes: number): void {
    this.lastKeyBytes = bytes;
  }

  /**
   * After an inter frame of `bytes` came out, with `after` more frames already sent to the
   * encoder behind it: whether to encode it again as a key frame (see {@link RekeyRule}). If so,
   * the policy counts it as the new key frame.
   */
  rekey(bytes: number, after: number): boolean {
    const rule = this.options.rekey ?? DEFAULT_REKEY;
    if (!rule || this.framesSinceKey - after < rule.minFrames) return false;
    if (bytes <= Math.max(rule.minBytes, rule.factor * this.lastKeyBytes)) return false;
    this.framesSinceKey = 1 + after;
    return true;
  }
}
