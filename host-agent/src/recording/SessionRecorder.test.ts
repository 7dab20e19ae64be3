// The session recorder with a scripted encoder (the real one is tested in encoder/ and end to end in
// test/recording-session.test.ts): what reaches the spool is a recording that verifies and decrypts,
// and a failing encoder freezes the session, is replaced, or ends it.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { MAX_POLICY_AUDITORS, type HostPolicy, type RecordingPart } from '@wardlink/protocol';
import { LIMITS, generateAuditorKeyPair, openRecording, toBase64Url, verifyRecording, type AuditorKeyPair } from '@wardlink/recordings';
import { RecorderError, type RecordingSegment, type ScreenRecorderEncoderEvents } from './encoder/index.ts';
import { SessionRecorder, type RecorderEncoder } from './SessionRecorder.ts';

const log = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An encoder whose segments and failures the test decides. */
class ScriptedEncoder implements RecorderEncoder {
  closed = false;
  /** With 'held': settles start() (true: the key frame came out, false: it failed). */
  finishKeyFrame: (ok: boolean) => void = () => undefined;
  constructor(
    readonly events: ScreenRecorderEncoderEvents,
    private readonly startResult: 'ok' | 'fail' | 'held',
  ) {}
  start() {
    const stream = { codec: 'av01.0.04M.08', width: 64, height: 48 };
    if (this.startResult === 'held') {
      return new Promise<typeof stream>((resolve, reject) => {
        this.finishKeyFrame = (ok) => (ok ? resolve(stream) : reject(RecorderError.encoderFailed('key frame lost')));
      });
    }
    return this.startResult === 'ok' ? Promise.resolve(stream) : Promise.reject(RecorderError.captureFailed('no display'));
  }
  close() {
    this.closed = true;
    return Promise.resolve();
  }
  segment(startMs: number, endMs: number, frameTimes: number[]): void {
    const segment: RecordingSegment = {
      startMs,
      endMs,
      frames: frameTimes.map((t, i) => ({ t, key: i === 0 && startMs === 0, data: new Uint8Array([1, 2, 3, i]) })),
    };
    this.events.onSegment(segment);
  }
}

async function fixture(
  options: { starts?: Array<'ok' | 'fail' | 'held'>; restarts?: number; policy?: () => Promise<HostPolicy>; windowTitle?: () => Promise<string | undefined> } = {},
) {
  const device = generateKeyPairSync('ed25519');
  const hostPublicKey = new Uint8Array(Buffer.from(device.publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  const auditor: AuditorKeyPair = await generateAuditorKeyPair();
  const policy: HostPolicy = {
    format: 'wardlink-policy-1',
    version: 1,
    issuedAt: Date.now(),
    auditors: [{ keyId: auditor.keyId, publicKey: toBase64Url(auditor.rawPublicKey), label: 'Audit office' }],
  };
  const parts: Array<{ part: RecordingPart; bytes: Uint8Array }> = [];
  const began: string[] = [];
  const encoders: ScriptedEncoder[] = [];
  const starts = [...(options.starts ?? ['ok', 'ok', 'ok', 'ok'])];
  const seen = { frozen: 0, resumed: 0, failed: [] as string[], pressure: [] as boolean[] };
  const recorder = new SessionRecorder({
    info: { sessionId: 'session-1', hostId: 'host-1', technician: { id: 'tech-1', name: 'Taro', organisation: 'Lab KK' } },
    policy: options.policy ?? (() => Promise.resolve(policy)),
    signer: { publicKey: hostPublicKey, sign: (m) => new Uint8Array(sign(null, m, device.privateKey)) },
    sink: {
      begin: (recordingId, sessionId) => began.push(`${recordingId}/${sessionId}`),
      add: (_id, part, bytes) => parts.push({ part, bytes }),
    },
    newEncoder: (events) => {
      const encoder = new ScriptedEncoder(events, starts.shift() ?? 'fail');
      encoders.push(encoder);
      return encoder;
    },
    events: {
      onFrozen: () => seen.frozen++,
      onResumed: () => seen.resumed++,
      onFailed: (reason) => seen.failed.push(reason),
      onPressure: (on) => seen.pressure.push(on),
    },
    log,
    ...(options.restarts !== undefined ? { restarts: options.restarts } : {}),
    ...(options.windowTitle ? { windowTitle: options.windowTitle, windowPollMs: 20 } : {}),
  });
  const stored = () => ({
    header: parts.find((p) => p.part === 'header')?.bytes,
    segments: parts.filter((p) => p.part.startsWith('segment-')).map((p) => p.bytes),
    manifest: parts.find((p) => p.part === 'manifest')?.bytes,
  });
  const decrypt = async () => {
    const { header, segments } = stored();
    const reader = await openRecording(header!, auditor, { hostPublicKey });
    return Promise.all(segments.map((s, i) => reader.openSegment(s, i)));
  };
  return { recorder, parts, began, encoders, seen, stored, decrypt, hostPublicKey };
}

describe('SessionRecorder', () => {
  test('a signed policy never lists more auditors than a recording header can seal to', () => {
    assert.equal(MAX_POLICY_AUDITORS, LIMITS.recipients);
  });

  test('spools header, segments in order and manifest; a segment that came before the header is kept', async () => {
    const f = await fixture();
    f.recorder.event('session:start', { technician: 'Taro' });
    const starting = f.recorder.start();
    while (f.encoders.length === 0) await sleep(1);
    // The encoder hands out a segment before start() resolved (a slow first key frame).
    f.encoders[0]!.segment(0, 5000, [0, 1000]);
    await starting;
    f.recorder.input({ type: 'input:text', text: 'hi' });
    f.encoders[0]!.segment(5000, 10_000, [6000]);
    f.recorder.event('consent', { decision: 'allowed' });
    await f.recorder.finish('ended_by_host');
    assert.equal(f.encoders[0]!.closed, true);
    assert.deepEqual(
      f.parts.map((p) => p.part),
      ['header', 'segment-0', 'segment-1', 'segment-2', 'manifest'],
    );
    assert.equal(f.began.length, 1);
    const { header, segments, manifest } = f.stored();
    const report = await verifyRecording({ header: header!, segments, manifest: manifest! }, f.hostPublicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.complete, true);
    const opened = await f.decrypt();
    const types = opened.flatMap((s) => s.events.map((e) => e.type));
    assert.deepEqual(types, ['session:start', 'input:text', 'consent', 'session:end']);
    const times = opened.flatMap((s) => s.frames.map((fr) => fr.t));
    assert.deepEqual(
      times.map((t) => t - times[0]!),
      [0, 1000, 6000],
    );
  });

  test('running() resolves once the encoder holds the first grab, before its key frame is encoded', async () => {
    const f = await fixture({ starts: ['held'] });
    let running = false;
    const started = f.recorder.start();
    void f.recorder.running().then(() => (running = true));
    while (f.encoders.length === 0) await sleep(1);
    await sleep(20);
    assert.equal(running, false, 'nothing may be shown before a grab is inside the encoder');
    f.encoders[0]!.events.onRecording?.();
    await sleep(1);
    assert.equal(running, true);
    assert.equal(f.parts.length, 0, 'the header waits for the key frame');
    f.encoders[0]!.finishKeyFrame(true);
    await started;
    assert.deepEqual(f.parts.map((p) => p.part), ['header']);
    await f.recorder.finish('ended_by_host');
  });

  test('a first key frame that fails after the grab was taken rejects start(), so the session ends', async () => {
    const f = await fixture({ starts: ['held'] });
    const started = f.recorder.start();
    const running = f.recorder.running();
    while (f.encoders.length === 0) await sleep(1);
    f.encoders[0]!.events.onRecording?.();
    await running;
    f.encoders[0]!.finishKeyFrame(false);
    await assert.rejects(started, /key frame lost/);
    assert.equal(f.encoders[0]!.closed, true);
    assert.deepEqual(f.parts, []);
  });

  test('running() rejects when the encoder fails before taking a grab', async () => {
    const f = await fixture({ starts: ['fail'] });
    await assert.rejects(f.recorder.running(), /no display/);
    assert.deepEqual(f.parts, []);
  });

  test('a failing encoder freezes the session and a new one resumes it on the same clock', async () => {
    const f = await fixture();
    await f.recorder.start();
    f.encoders[0]!.segment(0, 5000, [0]);
    f.encoders[0]!.events.onError(RecorderError.captureFailed('ffmpeg killed'));
    assert.equal(f.seen.frozen, 1);
    for (let i = 0; i < 100 && f.seen.resumed === 0; i++) await sleep(20);
    assert.equal(f.seen.resumed, 1);
    assert.equal(f.encoders.length, 2);
    // The second encoder's clock starts at 0; its segments are moved to the recording's clock.
    f.encoders[1]!.segment(0, 5000, [0]);
    await f.recorder.finish('ended_by_technician');
    const { header, segments, manifest } = f.stored();
    const report = await verifyRecording({ header: header!, segments, manifest: manifest! }, f.hostPublicKey);
    assert.deepEqual(report.problems, []);
    const opened = await f.decrypt();
    assert.ok(opened[1]!.startMs >= opened[0]!.endMs, 'segments never go back in time');
    const types = opened.flatMap((s) => s.events.map((e) => e.type));
    assert.deepEqual(types, ['recording:frozen', 'recording:resumed', 'session:end']);
    assert.deepEqual(f.seen.failed, []);
  });

  test('pressure from the encoder reaches the session once per change; a failed encoder lifts it', async () => {
    const f = await fixture();
    await f.recorder.start();
    const events = f.encoders[0]!.events;
    events.onPressure?.(true);
    events.onPressure?.(true);
    events.onPressure?.(false);
    events.onPressure?.(true);
    assert.deepEqual(f.seen.pressure, [true, false, true]);
    events.onError(RecorderError.captureFailed('ffmpeg killed'));
    assert.deepEqual(f.seen.pressure, [true, false, true, false], 'the dead encoder no longer slows the session');
    // The dead encoder can no longer speak for the session.
    events.onPressure?.(true);
    while (f.encoders.length < 2) await sleep(5);
    assert.deepEqual(f.seen.pressure, [true, false, true, false]);
    await f.recorder.finish('ended_by_host');
  });

  test('when no encoder comes back the session is given up', async () => {
    const f = await fixture({ starts: ['ok', 'fail', 'fail'], restarts: 2 });
    await f.recorder.start();
    f.encoders[0]!.events.onError(RecorderError.behind('8 frames wait'));
    for (let i = 0; i < 200 && f.seen.failed.length === 0; i++) await sleep(20);
    assert.deepEqual(f.seen.failed, ['behind']);
    assert.equal(f.seen.resumed, 0);
    await f.recorder.finish('recording_failed');
    const { header, segments, manifest } = f.stored();
    const report = await verifyRecording({ header: header!, segments, manifest: manifest! }, f.hostPublicKey);
    assert.equal(report.complete, true, 'the recording of the frozen session is still closed properly');
  });

  test('the active window title is noted when it changes, not on every poll; a failing read is skipped', async () => {
    const answers: Array<string | undefined | Error> = ['Terminal', 'Terminal', undefined, new Error('display gone'), 'Lab results', 'Lab results'];
    let polls = 0;
    const f = await fixture({
      windowTitle: () => {
        const next = answers[Math.min(polls++, answers.length - 1)];
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
    });
    await f.recorder.start();
    while (polls < answers.length + 2) await sleep(10);
    f.encoders[0]!.segment(0, 5000, [0]);
    await f.recorder.finish('ended_by_host');
    const pollsAtEnd = polls;
    await sleep(100);
    assert.equal(polls, pollsAtEnd, 'no polling after the end');
    const windows = (await f.decrypt()).flatMap((s) => s.events.filter((e) => e.type === 'window').map((e) => e.data?.['title']));
    assert.deepEqual(windows, ['Terminal', 'Lab results']);
  });

  test('no policy or no encoder: start() rejects and nothing is spooled or left running', async () => {
    const noPolicy = await fixture({ policy: () => Promise.reject(new Error('no policy')) });
    await assert.rejects(noPolicy.recorder.start(), /no policy/);
    assert.equal(noPolicy.parts.length, 0);
    assert.equal(noPolicy.encoders.length, 0);
    const noEncoder = await fixture({ starts: ['fail'] });
    await assert.rejects(noEncoder.recorder.start(), (err: RecorderError) => err.code === 'capture_failed');
    assert.equal(noEncoder.parts.length, 0);
    assert.equal(noEncoder.encoders[0]!.closed, true);
  });

  test('a session that ends before the encoder starts starts none and spools nothing', async () => {
    const f = await fixture();
    const starting = f.recorder.start();
    const finishing = f.recorder.finish('declined');
    await assert.rejects(starting, /ended before its recording started/);
    await finishing;
    assert.equal(f.encoders.length, 0);
    assert.equal(f.parts.length, 0);
  });

  test('a session that ends while the first key frame is encoded keeps its recording, complete', async () => {
    const f = await fixture({ starts: ['held'] });
    const starting = f.recorder.start();
    const running = f.recorder.running();
    while (f.encoders.length === 0) await sleep(1);
    f.encoders[0]!.events.onRecording?.();
    await running;
    // The technician saw the screen and left before the key frame came out.
    const finishing = f.recorder.finish('ended_by_technician');
    f.encoders[0]!.segment(0, 400, [0]);
    f.encoders[0]!.finishKeyFrame(true);
    await starting;
    await finishing;
    assert.equal(f.encoders[0]!.closed, true);
    const names = f.parts.map((p) => p.part);
    assert.deepEqual([names[0], names[1], names.at(-1)], ['header', 'segment-0', 'manifest']);
    const { header, segments, manifest } = f.stored();
    const report = await verifyRecording({ header: header!, segments, manifest: manifest! }, f.hostPublicKey);
    assert.deepEqual(report.problems, []);
    assert.equal(report.complete, true);
    const opened = await f.decrypt();
    assert.equal(opened.flatMap((s) => s.frames).length, 1);
    assert.deepEqual(opened.flatMap((s) => s.events.map((e) => e.type)), ['session:end']);
  });
});
