import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CapturedFrame } from '../platform/types.ts';
import { FrameThrottle } from './FrameThrottle.ts';

const frame = (n: number): CapturedFrame => ({ width: 2, height: 2, data: new Uint8Array([n]) });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fixture() {
  const sent: number[] = [];
  let clock = 0;
  const throttle = new FrameThrottle((f) => sent.push(f.data[0]!), () => clock);
  return { sent, throttle, advance: (ms: number) => (clock += ms) };
}

describe('FrameThrottle', () => {
  test('without a limit every frame passes at once', () => {
    const f = fixture();
    for (let i = 1; i <= 5; i++) f.throttle.push(frame(i));
    assert.deepEqual(f.sent, [1, 2, 3, 4, 5]);
  });

  test('with a limit frames that come too soon wait, and only the newest of them goes out', async () => {
    const f = fixture();
    f.throttle.limit(5);
    f.throttle.push(frame(1));
    f.advance(50);
    f.throttle.push(frame(2));
    f.throttle.push(frame(3));
    assert.deepEqual(f.sent, [1], 'frames 2 and 3 wait for their turn');
    f.advance(150);
    await sleep(160);
    assert.deepEqual(f.sent, [1, 3], 'the newest waiting frame went out when its turn came');
  });

  test('lifting the limit sends a waiting frame at once', () => {
    const f = fixture();
    f.throttle.limit(2);
    f.throttle.push(frame(1));
    f.throttle.push(frame(2));
    f.throttle.limit(undefined);
    assert.deepEqual(f.sent, [1, 2]);
    f.throttle.push(frame(3));
    assert.deepEqual(f.sent, [1, 2, 3]);
  });

  test('close drops a waiting frame and nothing is sent after it', async () => {
    const f = fixture();
    f.throttle.limit(20);
    f.throttle.push(frame(1));
    f.throttle.push(frame(2));
    f.throttle.close();
    f.throttle.close();
    await sleep(80);
    f.throttle.push(frame(3));
    assert.deepEqual(f.sent, [1]);
  });

  test('refuses a limit that is not a positive rate', () => {
    assert.throws(() => fixture().throttle.limit(0), RangeError);
  });
});
