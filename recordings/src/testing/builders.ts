/**
 * Builders for tests of the recording format, in Node and in the browser (WebCrypto only):
 * a host signer, recording info, segment content and whole recordings.
 */
import { generateAuditorKeyPair, type AuditorKeyPair } from '../keys.ts';
import { createRecording } from '../RecordingWriter.ts';
import type { HostSigner, RecordingInfo, SegmentContent } from '../types.ts';

/** An Ed25519 host device key made with WebCrypto, as a {@link HostSigner}. */
export async function testHostSigner(): Promise<HostSigner> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    publicKey,
    sign: async (message) => new Uint8Array(await crypto.subtle.sign('Ed25519', pair.privateKey, message as Uint8Array<ArrayBuffer>)),
  };
}

/** Recording metadata with plausible ids; `overrides` replaces top-level fields. */
export function testInfo(overrides: Partial<RecordingInfo> = {}): RecordingInfo {
  return {
    recordingId: 'rec-AAAAAAAAAAAA',
    sessionId: 'sess-BBBBBBBBBBB',
    hostId: 'host-CCCCCCCCCCC',
    technician: { id: 'tech-DDDDDDDDDDD', name: 'Hanako Yamada', organisation: 'Medical Imaging Service KK' },
    startedAt: Date.UTC(2026, 10, 24, 9, 30),
    video: { codec: 'vp09.00.10.08', width: 1280, height: 800 },
    ...overrides,
  };
}

/** Deterministic bytes: `length` bytes derived from `seed`. */
export function testBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Content of segment `index` of `durationMs` with one frame per second (the first a key frame), a still and two events. */
export function testSegment(index: number, options: { durationMs?: number; frameBytes?: number; still?: boolean } = {}): SegmentContent {
  const duration = options.durationMs ?? 10_000;
  const startMs = index * duration;
  const frames = [];
  for (let t = 0; t < duration; t += 1000) {
    frames.push({ t: startMs + t, key: t === 0 && index % 6 === 0, data: testBytes(options.frameBytes ?? 100, index * 100 + t) });
  }
  return {
    startMs,
    endMs: startMs + duration,
    frames,
    ...(options.still === false ? {} : { stills: [{ t: startMs, mime: 'image/webp', data: testBytes(64, index) }] }),
    events: [
      { t: startMs + 10, type: 'input:pointer', data: { x: 10 * index, y: 20, buttons: 1 } },
      { t: startMs + 500, type: 'permission:changed', data: { clipboard: false, note: '病棟 3' } },
    ],
  };
}

/** A whole recording: header, `count` segments and (unless `finish: false`) a manifest; plus the keys used. */
export async function testRecording(count: number, options: { finish?: boolean; auditors?: number; frameBytes?: number } = {}): Promise<{
  header: Uint8Array;
  segments: Uint8Array[];
  manifest?: Uint8Array;
  signer: HostSigner;
  auditors: AuditorKeyPair[];
  contents: SegmentContent[];
}> {
  const signer = await testHostSigner();
  const auditors: AuditorKeyPair[] = [];
  for (let i = 0; i < (options.auditors ?? 2); i++) auditors.push(await generateAuditorKeyPair());
  const writer = await createRecording(
    testInfo(),
    auditors.map((a) => ({ keyId: a.keyId, publicKey: a.rawPublicKey })),
    signer,
  );
  const segments: Uint8Array[] = [];
  const contents: SegmentContent[] = [];
  for (let i = 0; i < count; i++) {
    const content = testSegment(i, { ...(options.frameBytes ? { frameBytes: options.frameBytes } : {}) });
    contents.push(content);
    segments.push((await writer.sealSegment(content)).bytes);
  }
  const manifest = options.finish === false ? undefined : await writer.finish(testInfo().startedAt + count * 10_000, 'ended');
  return { header: writer.header, segments, ...(manifest ? { manifest } : {}), signer, auditors, contents };
}
