// Instrumentation injected into the auditor's page before the viewer loads (bundled by esbuild as
// a plain script: no imports, nothing that relies on build helpers). Every timestamp is
// performance.now() inside the page, so Playwright's round trips never enter a measurement. It
// watches, without changing them: clicks, the player's `wl-player-status` events, paints on a
// canvas (drawImage), segment fetches (window.fetch) and chunks fed to VideoDecoder.

/** Milliseconds on the page's clock from the click on Open. */
export interface OpenTimes {
  clickAt: number;
  /** The first `checking` status: header opened, segments being fetched. */
  checkingAt?: number;
  /** The `verified` status: every segment fetched and verified, the verified part decrypted. */
  verifiedAt?: number;
  /** The first paint after `verified`: what is on screen at 0 (the empty screen when the first frame comes later). */
  firstPaintAt?: number;
  /** The status the player ended in (`verified` when all went well). */
  state: string;
  /** Segments fetched while opening. */
  fetches: number;
  /** When the last of them had arrived (its response; the body is read by the caller). */
  fetchedAt?: number;
}

/** One seek. */
export interface SeekSample {
  /** Target, milliseconds since the recording start. */
  targetMs: number;
  /** Milliseconds from seek() until its promise resolved (the frame painted). */
  ms: number;
  /** Milliseconds from seek() until the next animation frame after it resolved (the canvas presented). */
  presentedMs: number;
  /** Paints during the seek (drawImage of the target frame; fillRect of the empty screen before the first frame). */
  paints: number;
  /** Segment fetches during the seek, and the milliseconds from the seek's start until the last one finished. */
  fetches: number;
  fetchedMs: number;
  /** Chunks fed to the decoder during the seek: the frames decoded from the key frame. */
  decoded: number;
  /** The player's position afterwards. */
  positionMs: number;
}

/** One seek with the position slider: a click on it. */
export interface SliderSample {
  /** The slider's value after the click, milliseconds. */
  targetMs: number;
  /** Milliseconds from the slider's input event to the first paint after it (undefined: none within the time limit). */
  ms?: number;
  fetches: number;
  decoded: number;
}

/** The player as the probe drives it. */
interface Player extends HTMLElement {
  seek(ms: number): Promise<void>;
  readonly currentTime: number;
}

/** The API the harness calls through `page.evaluate`. */
export interface ReplayProbe {
  /** Starts timing an open: the next click, statuses, paints and fetches. */
  armOpen(): void;
  openTimes(timeoutMs: number): Promise<OpenTimes>;
  /** Seeks to each target in turn (waiting `pauseMs` between), timing each. */
  seekAll(player: Player, targets: number[], pauseMs: number): Promise<SeekSample[]>;
  /** Starts timing a seek by the slider: the next input event and the first paint after it. */
  armSlider(): void;
  sliderResult(player: Player, timeoutMs: number): Promise<SliderSample>;
}

const state = {
  armed: false,
  clickAt: undefined as number | undefined,
  checkingAt: undefined as number | undefined,
  verifiedAt: undefined as number | undefined,
  lastState: '',
  paints: [] as number[],
  fetches: [] as Array<{ start: number; end?: number }>,
  decoded: 0,
  slider: undefined as { armed: boolean; inputAt?: number; value?: number } | undefined,
};
const waiters = new Set<() => void>();
const wake = (): void => waiters.forEach((w) => w());

window.addEventListener(
  'click',
  () => {
    if (state.armed && state.clickAt === undefined) state.clickAt = performance.now();
  },
  true,
);

window.addEventListener(
  'wl-player-status',
  (event) => {
    const detail = (event as CustomEvent<{ state: string }>).detail;
    state.lastState = detail.state;
    if (!state.armed) return;
    if (detail.state === 'checking') state.checkingAt ??= performance.now();
    if (detail.state === 'verified') state.verifiedAt ??= performance.now();
    wake();
  },
  true,
);

window.addEventListener(
  'input',
  (event) => {
    const slider = state.slider;
    const target = event.composedPath()[0];
    if (!slider?.armed || slider.inputAt !== undefined || !(target instanceof HTMLInputElement) || target.type !== 'range') return;
    slider.inputAt = performance.now();
    slider.value = Number(target.value);
  },
  true,
);

// The player paints a frame with drawImage, and the empty screen (before the first frame) with fillRect.
const context = CanvasRenderingContext2D.prototype;
const drawImage = context.drawImage;
context.drawImage = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
  state.paints.push(performance.now());
  wake();
  return (drawImage as (...a: unknown[]) => void).apply(this, args);
} as typeof drawImage;
const fillRect = context.fillRect;
context.fillRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  if (this.canvas instanceof HTMLCanvasElement) {
    state.paints.push(performance.now());
    wake();
  }
  return fillRect.call(this, x, y, w, h);
};

const nativeFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (!/\/api\/recordings\/[^/]+\/segment-\d+$/.test(url)) return nativeFetch(input, init);
  const entry: { start: number; end?: number } = { start: performance.now() };
  state.fetches.push(entry);
  try {
    const response = await nativeFetch(input, init);
    // The body is read by the caller; the response arriving is what is timed here.
    return response;
  } finally {
    entry.end = performance.now();
  }
};

if (typeof VideoDecoder !== 'undefined') {
  const decode = VideoDecoder.prototype.decode;
  VideoDecoder.prototype.decode = function (this: VideoDecoder, chunk: EncodedVideoChunk) {
    state.decoded++;
    return decode.call(this, chunk);
  };
}

function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      waiters.delete(poll);
      resolve(ok);
    };
    const poll = (): void => {
      if (check()) done(true);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    waiters.add(poll);
    poll();
  });
}

const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const probe: ReplayProbe = {
  armOpen() {
    state.armed = true;
    state.clickAt = undefined;
    state.checkingAt = undefined;
    state.verifiedAt = undefined;
    state.paints = [];
    state.fetches = [];
  },
  async openTimes(timeoutMs) {
    await until(() => state.verifiedAt !== undefined && state.paints.some((p) => p >= state.verifiedAt!), timeoutMs);
    state.armed = false;
    if (state.clickAt === undefined) throw new Error('the probe saw no click on Open');
    const verifiedAt = state.verifiedAt;
    const firstPaintAt = verifiedAt === undefined ? undefined : state.paints.find((p) => p >= verifiedAt);
    return {
      clickAt: state.clickAt,
      ...(state.checkingAt !== undefined ? { checkingAt: state.checkingAt } : {}),
      ...(verifiedAt !== undefined ? { verifiedAt } : {}),
      ...(firstPaintAt !== undefined ? { firstPaintAt } : {}),
      state: state.lastState,
      fetches: state.fetches.length,
      ...(state.fetches.length ? { fetchedAt: Math.max(...state.fetches.map((f) => f.end ?? 0)) } : {}),
    };
  },
  async seekAll(player, targets, pauseMs) {
    const out: SeekSample[] = [];
    for (const targetMs of targets) {
      state.paints = [];
      state.fetches = [];
      state.decoded = 0;
      const t0 = performance.now();
      await player.seek(targetMs);
      const t1 = performance.now();
      const presented = await nextFrame();
      const ends = state.fetches.map((f) => f.end ?? t1);
      out.push({
        targetMs,
        ms: t1 - t0,
        presentedMs: presented - t0,
        paints: state.paints.length,
        fetches: state.fetches.length,
        fetchedMs: ends.length ? Math.max(...ends) - t0 : 0,
        decoded: state.decoded,
        positionMs: player.currentTime,
      });
      await sleep(pauseMs);
    }
    return out;
  },
  armSlider() {
    state.slider = { armed: true };
    state.paints = [];
    state.fetches = [];
    state.decoded = 0;
  },
  async sliderResult(player, timeoutMs) {
    const slider = state.slider;
    const painted = await until(() => slider?.inputAt !== undefined && state.paints.some((p) => p >= slider.inputAt!), timeoutMs);
    state.slider = undefined;
    const inputAt = slider?.inputAt;
    const paintAt = inputAt === undefined ? undefined : state.paints.find((p) => p >= inputAt);
    return {
      targetMs: slider?.value ?? player.currentTime,
      ...(painted && inputAt !== undefined && paintAt !== undefined ? { ms: paintAt - inputAt } : {}),
      fetches: state.fetches.length,
      decoded: state.decoded,
    };
  },
};

(window as unknown as { __wlReplay: ReplayProbe }).__wlReplay = probe;
