import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { HostPolicy, RecordingPart } from '@wardlink/protocol';
import { createRecording, fromBase64Url, type AuditorRecipient, type HostSigner, type RecordingInfo, type RecordingWriter } from '@wardlink/recordings';
import type { InputMessage } from '../session/HostPeer.ts';
import type { RecorderError, RecordingSegment, RecordingStream, ScreenRecorderEncoderEvents } from './encoder/index.ts';
import { Timeline } from './Timeline.ts';

/** What the session recorder needs of an encoder ({@link ScreenRecorderEncoder} in production). */
export interface RecorderEncoder {
  /** Resolves once the first (key) frame is encoded; `onRecording` may come before. */
  start(): Promise<RecordingStream>;
  close(): Promise<void>;
}

/** Where sealed parts go: the agent's spool and uploader ({@link Uploader}). */
export interface RecordingSink {
  begin(recordingId: string, sessionId: string): void;
  add(recordingId: string, part: RecordingPart, bytes: Uint8Array): void;
}

/** What the session hears from its recorder. */
export interface SessionRecorderEvents {
  /** The encoder stopped: freeze the session now (no video, no input). */
  onFrozen(reason: string): void;
  /** A new encoder records again: the session may go on. */
  onResumed(): void;
  /** It could not be brought back: the session must end (`recording_failed`). */
  onFailed(reason: string): void;
  /** The encoder falls behind (true) or has caught up (false): slow the live stream meanwhile (SREC7). */
  onPressure?(underPressure: boolean): void;
}

/** Options of {@link SessionRecorder.start}. */
export interface SessionRecorderOptions {
  /** Who and what: the header's public metadata, except what the recorder fills in. */
  info: Omit<RecordingInfo, 'recordingId' | 'startedAt' | 'video'>;
  /** The recording policy in force (its auditors are the recipients); rejects when there is none. */
  policy: () => Promise<HostPolicy>;
  signer: HostSigner;
  sink: RecordingSink;
  newEncoder: (events: ScreenRecorderEncoderEvents) => RecorderEncoder;
  events: SessionRecorderEvents;
  log: Logger;
  /** Encoders tried after a failure before the session is given up. Default 3. */
  restarts?: number;
  /** The active window's title; polled while recording, each change is a `window` event. */
  windowTitle?: () => Promise<string | undefined>;
  /** Milliseconds between window title polls. Default 1000. */
  windowPollMs?: number;
}

/** Milliseconds between a failure and the next encoder, growing with each try. */
const RESTART_DELAY_MS = 500;

/**
 * Records one session (issue 4, FORMAT.md): the screen from an encoder plus the event timeline,
 * sealed per segment with {@link createRecording} for the auditors of the signed policy, each part
 * handed to the spool before the next. Plaintext frames and events exist only in memory.
 *
 * Recording is mandatory: {@link running} resolves only once the first grab is inside the encoder
 * ({@link start} once it is encoded and the header spooled), and if the encoder dies or falls
 * behind the session is frozen at once, a new encoder is tried (a new key
 * frame; the recording's clock runs on, so the frozen stretch is a gap), and the session resumes
 * or, after `restarts` failures, ends.
 */
export class SessionRecorder {
  readonly recordingId: string;
  private readonly options: SessionRecorderOptions;
  private readonly timeline = new Timeline();
  /** performance.now() at the recording's time 0. */
  private readonly origin: number;
  private writer: RecordingWriter | undefined;
  private encoder: RecorderEncoder | undefined;
  /** Segments that came out before the header could be made. */
  private early: RecordingSegment[] = [];
  /** End of the last sealed segment on the recording's clock. */
  private lastEnd = 0;
  /** Seals and spool writes, one after the other. */
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;
  private frozen = false;
  private finished: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  /** The manifest is being written: nothing more is sealed. */
  private sealed = false;
  /** The current encoder reported pressure. */
  private pressured = false;
  private titlePoll: NodeJS.Timeout | undefined;
  private lastTitle: string | undefined;
  /** Resolves when the first encoder has the first grab (see {@link running}). */
  private readonly firstGrab: Promise<void>;
  private markFirstGrab: () => void = () => undefined;

  /** The recording's clock starts now; events may be noted before {@link start}. */
  constructor(options: SessionRecorderOptions) {
    this.options = options;
    this.recordingId = randomBytes(16).toString('base64url');
    this.origin = performance.now();
    this.firstGrab = new Promise<void>((resolve) => (this.markFirstGrab = resolve));
  }

  /**
   * Starts the encoder, then writes and spools the header. Rejects (leaving nothing running) if
   * the policy has no usable auditor or the encoder does not start. Call once.
   */
  start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  /**
   * Starts (see {@link start}) and resolves as soon as the screen is being recorded: the policy
   * has auditors and the encoder holds the first grab. The session may be shown from then on
   * (SREC2); the first key frame follows about a second later, and if it or the header fails,
   * `start()` rejects and the session must end. Rejects when `start()` fails before that.
   */
  running(): Promise<void> {
    return Promise.race([this.firstGrab, this.start()]);
  }

  /** Milliseconds since the recording started. */
  now(): number {
    return Math.round(performance.now() - this.origin);
  }

  /** Notes a session event (consent, permission changes, end...) in the timeline. */
  event(type: string, data?: Record<string, unknown>): void {
    this.timeline.add(this.now(), type, data);
  }

  /** Notes permitted input the host applied. */
  input(message: InputMessage): void {
    this.timeline.input(this.now(), message);
  }

  /**
   * Ends the recording: stops the encoder (its last frames become the last segments), seals what
   * remains of the timeline, and spools the signed manifest. Safe to call twice.
   */
  finish(reason: string): Promise<void> {
    this.finished ??= this.end(reason);
    return this.finished;
  }

  private async begin(): Promise<void> {
    const { info, sink } = this.options;
    const policy = await this.options.policy();
    const recipients: AuditorRecipient[] = policy.auditors.map((a) => ({ keyId: a.keyId, publicKey: fromBase64Url(a.publicKey) }));
    if (this.finished) throw new Error('the session ended before its recording started');
    // From the first grab on the session may have been shown (SREC2): a session that ends while the
    // key frame is encoded still gets its recording, which finish() completes.
    const video = await this.startEncoder();
    const startedAt = Date.now() - this.now();
    try {
      this.writer = await createRecording({ ...info, recordingId: this.recordingId, startedAt, video }, recipients, this.options.signer);
    } catch (err) {
      await this.encoder?.close();
      throw err;
    }
    sink.begin(this.recordingId, info.sessionId);
    sink.add(this.recordingId, 'header', this.writer.header);
    this.options.log.info({ recordingId: this.recordingId, auditors: recipients.length, ...video }, 'recording started');
    for (const segment of this.early.splice(0)) this.queue(segment);
    if (!this.finished) this.watchWindowTitle();
  }

  /** Notes the active window's title now and whenever it changes (SREC4). */
  private watchWindowTitle(): void {
    const source = this.options.windowTitle;
    if (!source) return;
    let busy = false;
    const poll = async (): Promise<void> => {
      if (busy || this.finished) return;
      busy = true;
      try {
        const title = await source();
        if (title && title !== this.lastTitle && !this.finished) this.event('window', { title });
        if (title) this.lastTitle = title;
      } catch (err) {
        this.options.log.debug({ err: String(err) }, 'window title not read');
      } finally {
        busy = false;
      }
    };
    void poll();
    this.titlePoll = setInterval(() => void poll(), this.options.windowPollMs ?? 1000);
  }

  /** Starts a new encoder on the recording's clock; resolves with what the header says about the video. */
  private async startEncoder(): Promise<RecordingStream> {
    const offset = this.now();
    const encoder: RecorderEncoder = this.options.newEncoder({
      onSegment: (segment) => {
        if (this.sealed) return;
        const shifted = shift(segment, offset);
        if (this.writer) this.queue(shifted);
        else this.early.push(shifted);
      },
      onError: (err) => {
        if (this.encoder === encoder) void this.onEncoderError(err);
      },
      onRecording: () => this.markFirstGrab(),
      onPressure: (on) => {
        if (this.encoder === encoder) this.setPressure(on);
      },
    });
    this.encoder = encoder;
    try {
      return await encoder.start();
    } catch (err) {
      this.encoder = undefined;
      await encoder.close().catch(() => undefined);
      throw err;
    }
  }

  private async onEncoderError(err: RecorderError): Promise<void> {
    const { events, log } = this.options;
    log.warn({ code: err.code, err: err.message }, 'recorder stopped: session frozen');
    if (!this.frozen) {
      this.frozen = true;
      this.event('recording:frozen', { reason: err.code });
      events.onFrozen(err.code);
    }
    const dead = this.encoder;
    this.encoder = undefined;
    // The next encoder starts afresh (the session is frozen meanwhile).
    this.setPressure(false);
    // Whatever it salvaged has been handed out; wait for its processes to go.
    await dead?.close().catch(() => undefined);
    while (!this.finished && this.failures < (this.options.restarts ?? 3)) {
      this.failures++;
      await delay(RESTART_DELAY_MS * this.failures);
      if (this.finished) return;
      try {
        await this.startEncoder();
        if (this.finished) return;
        this.frozen = false;
        this.event('recording:resumed');
        log.info({ failures: this.failures }, 'recorder running again: session resumes');
        events.onResumed();
        return;
      } catch (restartErr) {
        log.warn({ err: String(restartErr) }, 'recorder did not restart');
      }
    }
    if (!this.finished) events.onFailed(err.code);
  }

  private setPressure(on: boolean): void {
    if (this.pressured === on) return;
    this.pressured = on;
    this.options.events.onPressure?.(on);
  }

  /** Seals a segment with its share of the timeline and spools it, after every earlier one. */
  private queue(segment: RecordingSegment): void {
    const startMs = Math.max(segment.startMs, this.lastEnd);
    const endMs = Math.max(segment.endMs, startMs);
    this.lastEnd = endMs;
    const frames = segment.frames.filter((f) => f.t >= startMs && f.t <= endMs);
    const events = this.timeline.take(startMs, endMs);
    this.seal({ startMs, endMs, frames, events });
  }

  private seal(content: { startMs: number; endMs: number; frames: RecordingSegment['frames']; events: ReturnType<Timeline['take']> }): void {
    const writer = this.writer!;
    this.chain = this.chain.then(async () => {
      try {
        const sealed = await writer.sealSegment(content);
        this.options.sink.add(this.recordingId, `segment-${sealed.index}`, sealed.bytes);
      } catch (err) {
        // A segment that cannot be sealed or spooled is a gap: the session must not go on unrecorded.
        this.options.log.error({ err: String(err) }, 'recording segment lost');
        if (!this.finished) this.options.events.onFailed('segment_failed');
      }
    });
  }

  private async end(reason: string): Promise<void> {
    clearInterval(this.titlePoll);
    this.event('session:end', { reason });
    // A start still under way finishes (or fails) first, so that nothing keeps running.
    await this.starting?.catch(() => undefined);
    const encoder = this.encoder;
    // From here a failure of the encoder is no reason to freeze; its last segments still count.
    this.encoder = undefined;
    await encoder?.close().catch((err: unknown) => this.options.log.warn({ err: String(err) }, 'recorder did not close cleanly'));
    if (!this.writer) return;
    const events = this.timeline.rest();
    if (events.length) {
      // Every event was timed with now(), so this segment ends at or after the latest of them.
      const startMs = this.lastEnd;
      const endMs = Math.max(startMs, this.now());
      this.lastEnd = endMs;
      this.seal({ startMs, endMs, frames: [], events: events.map((e) => ({ ...e, t: Math.min(endMs, Math.max(startMs, e.t)) })) });
    }
    await this.chain;
    this.sealed = true;
    try {
      const manifest = await this.writer.finish(Date.now(), reason);
      this.options.sink.add(this.recordingId, 'manifest', manifest);
      this.options.log.info({ recordingId: this.recordingId, segments: this.writer.segmentCount }, 'recording finished');
    } catch (err) {
      this.options.log.error({ err: String(err) }, 'recording manifest not written: the recording stays incomplete');
    }
  }
}

function shift(segment: RecordingSegment, offset: number): RecordingSegment {
  return {
    startMs: segment.startMs + offset,
    endMs: segment.endMs + offset,
    frames: segment.frames.map((f) => ({ ...f, t: f.t + offset })),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
