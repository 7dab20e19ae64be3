// Instrumentation injected into the technician's page before the viewer loads (see pageProbe.ts).
// Every timestamp is performance.now() inside the page, so Playwright's round trips never enter a
// measurement. Runs as a plain script: no imports, and nothing here may rely on build helpers.

/** A rectangle in host (video) pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Timings of one connect, milliseconds on the page's clock. */
export interface SetupTimes {
  /** The click on Connect reached the page. */
  clickAt?: number;
  /** requestVideoFrameCallback ran for the first frame of the new stream (the frame is being painted). */
  firstFrameAt?: number;
  /** That frame's `presentationTime`: when the decoded frame was handed to the compositor. */
  firstPresentedAt?: number;
  visibility: string;
}

/** One key press and the first decoded frame whose watched region differs from before the press. */
export interface InputSample {
  key: string;
  /** Milliseconds from keydown to the frame callback (frame being painted). */
  ms: number;
  /** Milliseconds from keydown to that frame's presentationTime. */
  presentedMs: number;
  /** Milliseconds from keydown to the arrival of the frame's last packet (WebRTC receiveTime), if known. */
  receivedMs?: number;
  /** Pixels of the region that changed by more than the threshold. */
  changed: number;
}

/** Frame counters of the watched video. */
export interface FrameCounters {
  now: number;
  /** requestVideoFrameCallback calls: frames presented. */
  presented: number;
  /** getVideoPlaybackQuality().totalVideoFrames: frames decoded. */
  decoded: number;
  dropped: number;
  width: number;
  height: number;
  /** Smallest decoded frame size seen since the last counters reset (the encoder may scale down). */
  minWidth: number;
  minHeight: number;
}

/** Inbound video statistics of the session's peer connection (getStats `inbound-rtp`). */
export interface InboundVideo {
  /** e.g. `video/VP9`. */
  codec: string;
  framesReceived: number;
  framesDecoded: number;
  framesDropped: number;
  keyFramesDecoded: number;
  /** Seconds spent decoding, in total. */
  totalDecodeTime: number;
  frameWidth: number;
  frameHeight: number;
  pliCount: number;
  bytesReceived: number;
}

/** The API the harness calls through `page.evaluate`. */
export interface BenchProbe {
  armSetup(): void;
  setupTimes(timeoutMs: number): Promise<SetupTimes>;
  watch(video: HTMLVideoElement, region: Region | null): void;
  waitSamples(count: number, timeoutMs: number): Promise<number>;
  waitStable(stableMs: number, maxMs: number): Promise<boolean>;
  samples(): InputSample[];
  counters(): FrameCounters;
  resetMinSize(): void;
  inboundVideo(): Promise<InboundVideo | undefined>;
}

/** Luma difference (0-255) above which a pixel counts as changed; codec noise stays well below. */
const PIXEL_THRESHOLD = 48;
/** Changed pixels that make a region "changed": a glyph or the moved cursor is 100+ pixels. */
const MIN_CHANGED_PIXELS = 12;
/** Luma difference and pixel count that still count as movement while the encoder refines a region. */
const SETTLE_THRESHOLD = 12;
const SETTLE_PIXELS = 2;

type FrameCallback = (now: number, meta: VideoFrameCallbackMetadata) => void;

const setup: { armed: boolean; clickAt?: number; firstFrameAt?: number; firstPresentedAt?: number } = { armed: false };
const setupWaiters = new Set<() => void>();
const samples: InputSample[] = [];
const sampleWaiters = new Set<() => void>();

const watched: {
  video?: HTMLVideoElement;
  region: Region | null;
  ctx?: CanvasRenderingContext2D;
  last?: Uint8Array;
  pending?: { t0: number; key: string; baseline: Uint8Array };
  presented: number;
  /** performance.now() of the last frame that visibly changed the watched region. */
  regionMovedAt: number;
  minWidth: number;
  minHeight: number;
} = { region: null, presented: 0, regionMovedAt: 0, minWidth: Infinity, minHeight: Infinity };

// Keep the newest peer connection for getStats. The viewer picks up the global constructor when it
// starts a session, which is after this script ran.
let lastPeer: RTCPeerConnection | undefined;
const rememberPeer = (pc: RTCPeerConnection): void => {
  lastPeer = pc;
};
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    rememberPeer(this);
  }
};

const connectClicked = (event: Event): boolean =>
  event.composedPath().some((el) => el instanceof HTMLButtonElement && el.type === 'submit' && el.textContent?.trim() === 'Connect');

window.addEventListener(
  'click',
  (event) => {
    if (setup.armed && setup.clickAt === undefined && connectClicked(event)) setup.clickAt = performance.now();
  },
  true,
);

// The viewer assigns the remote stream to its <video>: catch that moment to time the first frame.
const srcObject = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject')!;
Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
  ...srcObject,
  set(this: HTMLMediaElement, value: MediaProvider | null) {
    srcObject.set!.call(this, value);
    if (!(this instanceof HTMLVideoElement) || !value || !setup.armed || setup.clickAt === undefined) return;
    if (setup.firstFrameAt !== undefined) return;
    this.requestVideoFrameCallback((now, meta) => {
      setup.firstFrameAt = now;
      setup.firstPresentedAt = meta.presentationTime;
      setupWaiters.forEach((wake) => wake());
    });
  },
});

const toLuma = (rgba: Uint8ClampedArray): Uint8Array => {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
  return out;
};

const countChanged = (a: Uint8Array, b: Uint8Array, threshold = PIXEL_THRESHOLD): number => {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > threshold) n++;
  return n;
};

/** The per-frame callback of one video; it stops when another video is watched. */
const frameLoop = (video: HTMLVideoElement): FrameCallback => {
  const onFrame: FrameCallback = (now, meta) => {
    if (watched.video !== video) return;
    watched.presented++;
    watched.minWidth = Math.min(watched.minWidth, meta.width);
    watched.minHeight = Math.min(watched.minHeight, meta.height);
    const region = watched.region;
    if (region && watched.ctx) {
      watched.ctx.drawImage(video, region.x, region.y, region.width, region.height, 0, 0, region.width, region.height);
      const luma = toLuma(watched.ctx.getImageData(0, 0, region.width, region.height).data);
      if (!watched.last || countChanged(watched.last, luma, SETTLE_THRESHOLD) >= SETTLE_PIXELS) watched.regionMovedAt = now;
      const pending = watched.pending;
      if (pending) {
        const changed = countChanged(pending.baseline, luma);
        if (changed >= MIN_CHANGED_PIXELS) {
          samples.push({
            key: pending.key,
            ms: now - pending.t0,
            presentedMs: meta.presentationTime - pending.t0,
            ...(meta.receiveTime !== undefined ? { receivedMs: meta.receiveTime - pending.t0 } : {}),
            changed,
          });
          watched.pending = undefined;
          sampleWaiters.forEach((wake) => wake());
        }
      }
      watched.last = luma;
    }
    video.requestVideoFrameCallback(onFrame);
  };
  return onFrame;
};

window.addEventListener(
  'keydown',
  (event) => {
    if (!watched.region || !watched.last) return;
    watched.pending = { t0: performance.now(), key: event.key, baseline: watched.last };
  },
  true,
);

const until = (ready: () => boolean, waiters: Set<() => void>, timeoutMs: number): Promise<void> =>
  new Promise((resolve) => {
    if (ready()) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      waiters.delete(wake);
      resolve();
    };
    const wake = (): void => {
      if (ready()) done();
    };
    const timer = setTimeout(done, timeoutMs);
    waiters.add(wake);
  });

const probe: BenchProbe = {
  armSetup() {
    setup.armed = true;
    delete setup.clickAt;
    delete setup.firstFrameAt;
    delete setup.firstPresentedAt;
  },
  async setupTimes(timeoutMs) {
    await until(() => setup.firstFrameAt !== undefined, setupWaiters, timeoutMs);
    setup.armed = false;
    return {
      ...(setup.clickAt !== undefined ? { clickAt: setup.clickAt } : {}),
      ...(setup.firstFrameAt !== undefined ? { firstFrameAt: setup.firstFrameAt } : {}),
      ...(setup.firstPresentedAt !== undefined ? { firstPresentedAt: setup.firstPresentedAt } : {}),
      visibility: document.visibilityState,
    };
  },
  watch(video, region) {
    const restart = watched.video !== video;
    watched.video = video;
    watched.region = region;
    watched.last = undefined;
    watched.pending = undefined;
    samples.length = 0;
    if (region) {
      const canvas = document.createElement('canvas');
      canvas.width = region.width;
      canvas.height = region.height;
      watched.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    }
    if (restart) video.requestVideoFrameCallback(frameLoop(video));
  },
  waitSamples(count, timeoutMs) {
    return until(() => samples.length >= count, sampleWaiters, timeoutMs).then(() => samples.length);
  },
  waitStable(stableMs, maxMs) {
    const deadline = performance.now() + maxMs;
    return new Promise((resolve) => {
      const check = (): void => {
        const now = performance.now();
        if (watched.last && now - watched.regionMovedAt >= stableMs) resolve(true);
        else if (now > deadline) resolve(false);
        else setTimeout(check, 10);
      };
      check();
    });
  },
  samples: () => samples.slice(),
  counters() {
    const video = watched.video;
    const quality = video?.getVideoPlaybackQuality();
    return {
      now: performance.now(),
      presented: watched.presented,
      decoded: quality?.totalVideoFrames ?? 0,
      dropped: quality?.droppedVideoFrames ?? 0,
      width: video?.videoWidth ?? 0,
      height: video?.videoHeight ?? 0,
      minWidth: watched.minWidth,
      minHeight: watched.minHeight,
    };
  },
  resetMinSize() {
    watched.minWidth = Infinity;
    watched.minHeight = Infinity;
  },
  async inboundVideo() {
    if (!lastPeer) return undefined;
    const stats = await lastPeer.getStats();
    let found: InboundVideo | undefined;
    stats.forEach((s: Record<string, unknown>) => {
      if (s['type'] !== 'inbound-rtp' || s['kind'] !== 'video') return;
      const codec = stats.get(String(s['codecId'])) as { mimeType?: string } | undefined;
      const n = (key: string): number => Number(s[key] ?? 0);
      found = {
        codec: codec?.mimeType ?? 'unknown',
        framesReceived: n('framesReceived'),
        framesDecoded: n('framesDecoded'),
        framesDropped: n('framesDropped'),
        keyFramesDecoded: n('keyFramesDecoded'),
        totalDecodeTime: n('totalDecodeTime'),
        frameWidth: n('frameWidth'),
        frameHeight: n('frameHeight'),
        pliCount: n('pliCount'),
        bytesReceived: n('bytesReceived'),
      };
    });
    return found;
  },
};

(window as unknown as { __wlBench: BenchProbe }).__wlBench = probe;
