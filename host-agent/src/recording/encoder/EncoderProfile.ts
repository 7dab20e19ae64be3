/** The codecs the recorder can produce: both decode in browsers' WebCodecs `VideoDecoder`. */
export type RecordingCodec = 'av1' | 'vp9';

/** How frames are encoded: the codec and the ffmpeg encoder options. */
export interface EncoderProfile {
  /** Short name for logs and notes, e.g. `aom-good5-q35`. */
  name: string;
  codec: RecordingCodec;
  /**
   * ffmpeg output options that select and tune the encoder (`-c:v ...`). Never lookahead: frames
   * must leave the encoder as soon as they are encoded (one packet per input frame, in order).
   */
  args: readonly string[];
}

/**
 * The profile the recorder uses (bench/RECORDING-NOTES.md has the measurements behind it).
 *
 * libaom "good" at cpu-used 5 with screen-content tools (palette, and intra block copy in key
 * frames: without `tune-content=screen` a key frame of a screen full of text costs five times
 * more), tuned for SSIM, no lookahead (`lag-in-frames 0`: one packet per frame, at once), and a
 * constant quantiser of 35 (in libaom's one-pass constant-quality mode without lookahead, `crf`
 * alone barely changes anything: `qmin` is what holds the quality). The encoder itself never
 * makes a key frame (`g` huge): the recorder decides where key frames go, by starting a new
 * encoder (see ScreenRecorderEncoder and KeyPolicy).
 */
export const DEFAULT_PROFILE: EncoderProfile = {
  name: 'aom-good5-q35-ssim',
  codec: 'av1',
  args: [
    '-c:v', 'libaom-av1', '-usage', 'good', '-cpu-used', '5', '-lag-in-frames', '0',
    '-crf', '35', '-qmin', '35', '-qmax', '63', '-g', '1000000', '-keyint_min', '1000000',
    '-tune', 'ssim', '-aom-params', 'tune-content=screen', '-threads', '2', '-row-mt', '1',
  ],
};
