import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { av1SequenceHeaderOf } from './bitstream.ts';
import { DEFAULT_PROFILE, type EncoderProfile } from './EncoderProfile.ts';
import type { RecorderError } from './errors.ts';
import { FrameEncoder, type EncodedFrame } from './FrameEncoder.ts';

const W = 64;
const H = 48;

/** An I420 frame: grey with a bright square at (x, 8). */
function frame(x: number): Uint8Array {
  const f = new Uint8Array((W * H * 3) / 2).fill(128);
  f.fill(60, 0, W * H);
  for (let y = 8; y < 24; y++) f.fill(235, y * W + x, y * W + x + 16);
  return f;
}

async function encodeAll(profile: EncoderProfile, count: number): Promise<{ frames: EncodedFrame[]; errors: RecorderError[]; codec?: string }> {
  const frames: EncodedFrame[] = [];
  const errors: RecorderError[] = [];
  const encoder = new FrameEncoder({ width: W, height: H, profile }, { onFrame: (f) => frames.push(f), onError: (e) => errors.push(e) });
  for (let i = 0; i < count; i++) encoder.encode(frame(i * 8), 1000 * i + 17);
  await encoder.end();
  return { frames, errors, codec: encoder.codec };
}

const VP9: EncoderProfile = {
  name: 'vp9-test',
  codec: 'vp9',
  args: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-g', '1000', '-crf', '40', '-b:v', '0'],
};

describe('FrameEncoder', () => {
  it('returns one AV1 frame per input frame, in order, the first a key frame with a sequence header', async () => {
    const { frames, errors, codec } = await encodeAll(DEFAULT_PROFILE, 4);
    assert.deepEqual(errors, []);
    assert.deepEqual(frames.map((f) => f.t), [17, 1017, 2017, 3017]);
    assert.deepEqual(frames.map((f) => f.key), [true, false, false, false]);
    assert.equal(codec, 'av01.0.00M.08');
    assert.equal(av1SequenceHeaderOf(frames[0]!.data)?.bitDepth, 8);
  });

  it('tells key frames the encoder was asked to make', async () => {
    const forced: EncoderProfile = { ...DEFAULT_PROFILE, args: [...DEFAULT_PROFILE.args, '-force_key_frames', 'expr:eq(n,3)'] };
    const { frames } = await encodeAll(forced, 4);
    assert.deepEqual(frames.map((f) => f.key), [true, false, false, true]);
  });

  it('handles VP9 as well', async () => {
    const { frames, errors, codec } = await encodeAll(VP9, 3);
    assert.deepEqual(errors, []);
    assert.deepEqual(frames.map((f) => f.key), [true, false, false]);
    assert.equal(codec, 'vp09.00.10.08');
  });

  it('reports an encoder that dies', async () => {
    const errors: RecorderError[] = [];
    const encoder = new FrameEncoder({ width: W, height: H, profile: DEFAULT_PROFILE }, { onFrame: () => undefined, onError: (e) => errors.push(e) });
    encoder.encode(frame(0), 0);
    process.kill(encoder.pid!, 'SIGKILL');
    await encoder.end();
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.code, 'encoder_failed');
    assert.match(errors[0]!.message, /SIGKILL/);
  });

  it('rejects a frame of the wrong size', () => {
    const encoder = new FrameEncoder({ width: W, height: H, profile: DEFAULT_PROFILE }, { onFrame: () => undefined, onError: () => undefined });
    assert.throws(() => encoder.encode(new Uint8Array(10), 0), RangeError);
    encoder.kill();
  });
});
