import { expect } from '@open-wc/testing';
import { containedRect, mapToHost, pointerButton, wheelNotches } from './pointer.ts';

const video = { width: 1280, height: 800 };

describe('pointer mapping', () => {
  it('maps the corners and centre of a 1:1 picture to the same pixels', () => {
    const element = { left: 10, top: 20, width: 1280, height: 800 };
    expect(mapToHost(10, 20, element, video)).to.deep.equal({ x: 0, y: 0 });
    expect(mapToHost(10.5, 20.9, element, video)).to.deep.equal({ x: 0, y: 0 });
    expect(mapToHost(650, 420, element, video)).to.deep.equal({ x: 640, y: 400 });
    expect(mapToHost(1289.9, 819.9, element, video)).to.deep.equal({ x: 1279, y: 799 });
  });

  it('accounts for bars left and right when the element is wider than the picture', () => {
    // 1000x400 element, 16:10 picture -> 640x400 picture centred, 180 px bars each side.
    const element = { left: 0, top: 0, width: 1000, height: 400 };
    expect(containedRect(element, video)).to.deep.equal({ left: 180, top: 0, width: 640, height: 400 });
    expect(mapToHost(180, 0, element, video)).to.deep.equal({ x: 0, y: 0 });
    expect(mapToHost(500, 200, element, video)).to.deep.equal({ x: 640, y: 400 });
    expect(mapToHost(819.99, 399.99, element, video)).to.deep.equal({ x: 1279, y: 799 });
  });

  it('accounts for bars above and below when the element is taller than the picture', () => {
    // 640x1000 element -> 640x400 picture centred, 300 px bars above and below.
    const element = { left: 50, top: 0, width: 640, height: 1000 };
    expect(containedRect(element, video)).to.deep.equal({ left: 50, top: 300, width: 640, height: 400 });
    expect(mapToHost(50, 300, element, video)).to.deep.equal({ x: 0, y: 0 });
    expect(mapToHost(370, 500, element, video)).to.deep.equal({ x: 640, y: 400 });
    expect(mapToHost(51, 301, element, video)).to.deep.equal({ x: 2, y: 2 });
  });

  it('clamps positions over the bars and outside the element to the edge pixels', () => {
    const element = { left: 0, top: 0, width: 1000, height: 400 };
    expect(mapToHost(10, 200, element, video)).to.deep.equal({ x: 0, y: 400 });
    expect(mapToHost(990, -50, element, video)).to.deep.equal({ x: 1279, y: 0 });
    expect(mapToHost(5000, 5000, element, video)).to.deep.equal({ x: 1279, y: 799 });
  });

  it('scales to the host screen size when the video is sent smaller than the screen', () => {
    const element = { left: 0, top: 0, width: 640, height: 400 };
    const host = { width: 2560, height: 1600 };
    expect(mapToHost(320, 200, element, video, host)).to.deep.equal({ x: 1280, y: 800 });
    expect(mapToHost(639.9, 399.9, element, video, host)).to.deep.equal({ x: 2559, y: 1599 });
  });

  it('returns null while the video size is unknown', () => {
    const element = { left: 0, top: 0, width: 640, height: 400 };
    expect(mapToHost(1, 1, element, { width: 0, height: 0 })).to.equal(null);
    expect(mapToHost(1, 1, { left: 0, top: 0, width: 0, height: 0 }, video)).to.equal(null);
  });
});

describe('wheel notches', () => {
  it('turns one mouse notch in pixels into one notch with the sign of the delta', () => {
    expect(wheelNotches(100, 0)).to.equal(1);
    expect(wheelNotches(-100, 0)).to.equal(-1);
    expect(wheelNotches(4, 0)).to.equal(1);
    expect(wheelNotches(0, 0)).to.equal(0);
  });

  it('counts lines and pages and caps large deltas', () => {
    expect(wheelNotches(6, 1)).to.equal(2);
    expect(wheelNotches(-1, 2)).to.equal(-10);
    expect(wheelNotches(100_000, 0)).to.equal(10);
  });
});

describe('pointer buttons', () => {
  it('keeps left, middle and right and drops the others', () => {
    expect([0, 1, 2, 3, 4].map(pointerButton)).to.deep.equal([0, 1, 2, null, null]);
  });
});
