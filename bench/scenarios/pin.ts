// pin.handshake_ms: the CPace PIN handshake, both sides in one Node process.
import { randomBytes, randomInt } from 'node:crypto';
import { PROTOCOL_VERSION, hostFinish, hostRespond, viewerFinish, viewerStart, type HandshakeContext } from '@wardlink/protocol';
import { fromSamples } from '../lib/results.ts';
import type { Scenario } from './types.ts';

/** Handshakes timed, after WARMUP untimed ones (JIT, table set-up). */
const RUNS = 200;
const WARMUP = 20;

/** One complete handshake (M1, M2, M3 and both confirmations) with a fresh PIN, sid and fingerprints. */
function handshake(): number {
  const context: HandshakeContext = {
    pin: String(randomInt(100_000_000)).padStart(8, '0'),
    sid: randomBytes(16),
    protocolVersion: PROTOCOL_VERSION,
    hostId: 'h_bench',
    technicianId: 'u_bench',
  };
  // DTLS fingerprints are SHA-256 digests: 32 bytes each.
  const viewerFingerprint = randomBytes(32);
  const hostFingerprint = randomBytes(32);
  const started = performance.now();
  const m1 = viewerStart(context, viewerFingerprint);
  const m2 = hostRespond(context, m1.ya, viewerFingerprint, hostFingerprint);
  const m3 = viewerFinish(m1.pending, m2.yb, hostFingerprint, m2.tb);
  const done = hostFinish(m2.pending, m3.ta);
  const ms = performance.now() - started;
  if (Buffer.compare(Buffer.from(done.isk), Buffer.from(m3.isk)) !== 0) throw new Error('the two sides derived different keys');
  return ms;
}

export const pinScenario: Scenario = async (ctx) => {
  for (let i = 0; i < WARMUP; i++) handshake();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(handshake());
  ctx.log(`pin: ${RUNS} handshakes timed`);
  return {
    metrics: {
      'pin.handshake_ms': fromSamples('pin.handshake_ms', samples, {
        digits: 2,
        note:
          'module-level, not yet wired into sessions: protocol/src/pake viewerStart -> hostRespond -> viewerFinish -> ' +
          `hostFinish, both sides in one Node process (viewer side will run in Chromium), after ${WARMUP} untimed runs`,
      }),
    },
  };
};
