import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PlatformError, createPlatform } from './index.ts';
import { X11DamageCapture } from './x11/X11DamageCapture.ts';
import { X11ScreenCapture } from './x11/X11ScreenCapture.ts';

function withPlatform<T>(platform: NodeJS.Platform, fn: () => T): T {
  const original = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...original, value: platform });
  try {
    return fn();
  } finally {
    Object.defineProperty(process, 'platform', original);
  }
}

describe('createPlatform', () => {
  it('gives the X11 backends on Linux without touching the display', () => {
    const platform = withPlatform('linux', () => createPlatform({ display: ':4093', fps: 10 }));
    assert.equal(platform.capture.width, 0);
    assert.notEqual(platform.newCapture(), platform.capture);
    assert.equal(typeof platform.input.apply, 'function');
    platform.capture.close();
    platform.input.close();
  });

  it('captures with DAMAGE by default and with ffmpeg when asked', () => {
    const byDefault = withPlatform('linux', () => createPlatform({ display: ':4093' }));
    const ffmpeg = withPlatform('linux', () => createPlatform({ display: ':4093', capture: 'ffmpeg' }));
    assert.ok(byDefault.newCapture() instanceof X11DamageCapture);
    assert.ok(ffmpeg.newCapture() instanceof X11ScreenCapture);
    for (const p of [byDefault, ffmpeg]) {
      p.capture.close();
      p.input.close();
    }
  });

  it('refuses Windows until its backend exists', () => {
    assert.throws(
      () => withPlatform('win32', () => createPlatform({ display: ':0' })),
      (e: unknown) => e instanceof PlatformError && e.code === 'unsupported' && e.message === 'win32 backend not implemented yet',
    );
  });
});
