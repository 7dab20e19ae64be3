import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EncodedFrame } from './FrameEncoder.ts';
import { Segmenter } from './Segmenter.ts';
import type { RecordingSegment } from './types.ts';

const frame = (t: number): EncodedFrame => ({ t, key: t === 0, data: new Uint8Array(1) });
const shape = (s: RecordingSegment): string => `${s.startMs}-${s.endMs}:${s.frames.map((f) => f.t).join(',')}`;

describe('Segmenter', () => {
  it('emits a segment only when its time is over and none of its frames is still being encoded', () => {
    const out: RecordingSegment[] = [];
    const seg = new Segmenter(1000, (s) => out.push(s));
    seg.add(frame(0));
    seg.emitUntil(900, undefined);
    assert.deepEqual(out, []);
    seg.emitUntil(1200, 950);
    assert.deepEqual(out, [], 'the frame grabbed at 950 is still in the encoder');
    seg.add(frame(950));
    seg.add(frame(1100));
    seg.emitUntil(3100, undefined);
    assert.deepEqual(out.map(shape), ['0-1000:0,950', '1000-2000:1100', '2000-3000:']);
  });

  it('ends with a shorter segment, and after a failure keeps what came out', () => {
    const out: RecordingSegment[] = [];
    const seg = new Segmenter(1000, (s) => out.push(s));
    seg.add(frame(0));
    seg.add(frame(1500));
    seg.finish(1700);
    assert.deepEqual(out.map(shape), ['0-1000:0', '1000-1700:1500']);

    const salvaged: RecordingSegment[] = [];
    const failed = new Segmenter(1000, (s) => salvaged.push(s));
    failed.add(frame(0));
    failed.add(frame(300));
    failed.salvage();
    assert.deepEqual(salvaged.map(shape), ['0-301:0,300']);
  });
});
