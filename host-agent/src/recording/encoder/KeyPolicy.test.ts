import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyPolicy, type SampleAction } from './KeyPolicy.ts';

/** Feeds samples one second apart: `c` changed, `.` unchanged. */
function play(policy: KeyPolicy, pattern: string): string {
  const code: Record<SampleAction, string> = { key: 'K', frame: 'f', skip: '.' };
  return [...pattern].map((p, i) => code[policy.decide(p !== '.', i * 1000)]).join('');
}

describe('KeyPolicy', () => {
  it('makes the first frame a key frame and drops unchanged frames', () => {
    assert.equal(play(new KeyPolicy(), '.c..c.'), 'Kf..f.');
  });

  it('makes a due key frame from the still screen once it has been idle long enough', () => {
    const policy = new KeyPolicy({ keyAfterFrames: 3, idleKeyMs: 2000 });
    assert.equal(play(policy, 'cccc.c...c...'), 'Kfff.f.K.f...');
  });

  it('forces a key frame on a changed frame when the screen never rests', () => {
    assert.equal(play(new KeyPolicy({ keyAfterFrames: 2, maxKeyIntervalFrames: 4 }), 'cccccccc'), 'KfffKfff');
  });

  it('encodes a too large inter frame again as a key frame, once enough frames followed the last one', () => {
    const policy = new KeyPolicy({ rekey: { factor: 1.5, minBytes: 20_000, minFrames: 3 } });
    play(policy, 'cc');
    policy.keyEncoded(18_000);
    assert.equal(policy.rekey(50_000, 0), false, 'only 2 frames since the key frame');
    play(policy, 'c');
    assert.equal(policy.rekey(26_000, 0), false, 'not above 1.5 times the last key frame');
    assert.equal(policy.rekey(28_000, 1), false, 'counting the frame sent behind it, too few frames');
    assert.equal(policy.rekey(28_000, 0), true);
    assert.equal(play(policy, 'cccc'), 'ffff');
    assert.equal(new KeyPolicy({ rekey: false }).rekey(10 ** 6, 0), false);
  });
});
