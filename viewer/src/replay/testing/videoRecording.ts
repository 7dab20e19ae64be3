/**
 * Builds real recordings in the browser for the player's tests: frames drawn on a canvas (a
 * full-screen colour and an optional word) at given times, encoded with WebCodecs (AV1 if this
 * Chromium encodes it, else VP9), sealed with the real recording format and a generated host key.
 */
import {
  createRecording,
  generateAuditorKeyPair,
  type AuditorKeyPair,
  type HostSigner,
  type RecordedFrame,
  type TimelineEvent,
} from '@wardlink/recordings';
import type { RecordingSource } from '../types.ts';

/** One frame of the test video: from `t` on, the screen is `color` (with `word` written on it). */
export interface Scene {
  /** Milliseconds since the recording start. */
  t: number;
  /** CSS colour filling the screen. */
  color: string;
  /** Big text drawn in the middle. */
  word?: string;
  /** Force a key frame (the first frame always is one). */
  key?: boolean;
}

/** What to record. */
export interface VideoRecordingSpec {
  scenes: Scene[];
  events: TimelineEvent[];
  /** Milliseconds. */
  durationMs: number;
  /** Milliseconds per segment (default 10 000). */
  segmentMs?: number;
  /** Write a manifest (default true). */
  finish?: boolean;
  /** Codec string to put in the header instead of the one used to encode. */
  headerCodec?: string;
  /** Replaces encoded frames before they are sealed (e.g. to corrupt one). */
  mapFrame?(frame: RecordedFrame): RecordedFrame;
}

/** A recording made for a test, with its keys. */
export interface VideoRecording {
  header: Uint8Array;
  segments: Uint8Array[];
  manifest?: Uint8Array;
  signer: HostSigner;
  auditor: AuditorKeyPair;
  codec: string;
  width: number;
  height: number;
}

/** Frame size of test recordings, pixels. */
export const TEST_WIDTH = 320;
export const TEST_HEIGHT = 240;

/** AV1 as the host records it, when this browser can encode it; VP9 otherwise. */
export async function testCodec(): Promise<string> {
  const av1 = 'av01.0.04M.08';
  const support = await VideoEncoder.isConfigSupported({ codec: av1, width: TEST_WIDTH, height: TEST_HEIGHT }).catch(() => undefined);
  return support?.supported ? av1 : 'vp09.00.10.08';
}

/** Encodes the scenes into frames with WebCodecs. */
export async function encodeScenes(codec: string, scenes: Scene[]): Promise<RecordedFrame[]> {
  const canvas = new OffscreenCanvas(TEST_WIDTH, TEST_HEIGHT);
  const context = canvas.getContext('2d')!;
  const frames: RecordedFrame[] = [];
  let failure: unknown;
  const encoder = new VideoEncoder({
    output: (chunk) => {
      const data = new Uint8Array(chunk.byteLength);
      chunk.copyTo(data);
      frames.push({ t: Math.round(chunk.timestamp / 1000), key: chunk.type === 'key', data });
    },
    error: (err) => (failure = err),
  });
  encoder.configure({ codec, width: TEST_WIDTH, height: TEST_HEIGHT, bitrate: 1_000_000, latencyMode: 'realtime' });
  scenes.forEach((scene, i) => {
    context.fillStyle = scene.color;
    context.fillRect(0, 0, TEST_WIDTH, TEST_HEIGHT);
    if (scene.word) {
      context.fillStyle = '#000';
      context.font = 'bold 48px sans-serif';
      context.textAlign = 'center';
      context.fillText(scene.word, TEST_WIDTH / 2, TEST_HEIGHT / 2 + 16);
    }
    const frame = new VideoFrame(canvas, { timestamp: scene.t * 1000 });
    encoder.encode(frame, { keyFrame: i === 0 || scene.key === true });
    frame.close();
  });
  await encoder.flush();
  encoder.close();
  if (failure) throw failure;
  return frames;
}

/** Encodes, splits into segments and seals a recording for one auditor. */
export async function makeVideoRecording(spec: VideoRecordingSpec): Promise<VideoRecording> {
  const codec = await testCodec();
  const frames = (await encodeScenes(codec, spec.scenes)).map((f) => spec.mapFrame?.(f) ?? f);
  const signer = await testSigner();
  const auditor = await generateAuditorKeyPair();
  const writer = await createRecording(
    {
      recordingId: 'rec-player-test',
      sessionId: 'sess-player-test',
      hostId: 'host-ward-3',
      technician: { id: 'tech-0001', name: 'Hanako Yamada', organisation: 'Medical Imaging Service KK' },
      startedAt: Date.UTC(2026, 10, 24, 9, 30),
      video: { codec: spec.headerCodec ?? codec, width: TEST_WIDTH, height: TEST_HEIGHT },
    },
    [{ keyId: auditor.keyId, publicKey: auditor.rawPublicKey }],
    signer,
  );
  const step = spec.segmentMs ?? 10_000;
  const segments: Uint8Array[] = [];
  for (let start = 0; start < spec.durationMs; start += step) {
    const end = Math.min(start + step, spec.durationMs);
    const last = end === spec.durationMs;
    const inside = (t: number) => t >= start && (t < end || (last && t === end));
    const sealed = await writer.sealSegment({
      startMs: start,
      endMs: end,
      frames: frames.filter((f) => inside(f.t)),
      events: spec.events.filter((e) => inside(e.t)),
    });
    segments.push(sealed.bytes);
  }
  const manifest = spec.finish === false ? undefined : await writer.finish(Date.UTC(2026, 10, 24, 9, 30) + spec.durationMs, 'ended');
  return { header: writer.header, segments, ...(manifest ? { manifest } : {}), signer, auditor, codec, width: TEST_WIDTH, height: TEST_HEIGHT };
}

/** A source serving `recording`'s parts from memory; `fetchSegment` may be replaced. */
export function memorySource(recording: VideoRecording, overrides: Partial<RecordingSource> = {}): RecordingSource & { fetched: number[] } {
  const fetched: number[] = [];
  return {
    header: recording.header,
    ...(recording.manifest ? { manifest: recording.manifest } : {}),
    segmentCount: recording.segments.length,
    hostPublicKey: recording.signer.publicKey,
    fetchSegment: (index) => {
      fetched.push(index);
      const bytes = recording.segments[index];
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no segment ${index}`));
    },
    fetched,
    ...overrides,
  };
}

async function testSigner(): Promise<HostSigner> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    publicKey,
    sign: async (message) => new Uint8Array(await crypto.subtle.sign('Ed25519', pair.privateKey, message as Uint8Array<ArrayBuffer>)),
  };
}
