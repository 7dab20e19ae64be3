// PIN2, PIN6: reading the DTLS fingerprint that the handshake binds, and the connected peer's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectedPeer, dtlsFingerprint, fingerprintBytes, fromBase64Url, toBase64Url } from './binding.ts';

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
const OTHER = Array.from({ length: 32 }, () => 'AB').join(':');
const sdp = (...lines: string[]) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', ...lines, ''].join('\r\n');

test('PIN2: one sha-256 fingerprint, repeated per m-section, reads as its canonical form', () => {
  assert.equal(dtlsFingerprint(sdp(`a=fingerprint:sha-256 ${FP}`)), `sha-256 ${FP}`);
  assert.equal(
    dtlsFingerprint(sdp('m=video 9 UDP/TLS/RTP/SAVPF 96', `a=fingerprint:SHA-256 ${FP.toLowerCase()}`, 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', `a=fingerprint:sha-256 ${FP}`)),
    `sha-256 ${FP}`,
  );
  assert.deepEqual(fingerprintBytes(`sha-256 ${FP}`), new TextEncoder().encode(`sha-256 ${FP}`));
});

test('PIN2: no fingerprint, other algorithms, malformed values and conflicting fingerprints are refused', () => {
  const refused = [
    sdp(),
    sdp(`a=fingerprint:sha-1 ${FP.slice(0, 59)}`),
    sdp(`a=fingerprint:sha-256 ${FP}`, `a=fingerprint:sha-1 ${FP.slice(0, 59)}`),
    sdp(`a=fingerprint:sha-256 ${FP.slice(0, -3)}`),
    sdp(`a=fingerprint:sha-256 ${FP}:00`),
    sdp(`a=fingerprint:sha-256 ${FP.replace(/:/g, '')}`),
    sdp(`a=fingerprint:sha-256 ${FP.replace('0A', 'ZZ')}`),
    sdp(`a=fingerprint:sha-256 ${FP}`, `a=fingerprint:sha-256 ${OTHER}`),
    sdp(`a=fingerprint:sha-256`),
  ];
  for (const text of refused) assert.throws(() => dtlsFingerprint(text), { code: 'invalid_input' }, text);
});

test('PIN6: the connected peer certificate and candidate are read from getStats', () => {
  const reports = [
    { id: 'T', type: 'transport', dtlsState: 'connected', remoteCertificateId: 'C', selectedCandidatePairId: 'P' },
    { id: 'C', type: 'certificate', fingerprint: FP.toLowerCase(), fingerprintAlgorithm: 'sha-256' },
    { id: 'P', type: 'candidate-pair', remoteCandidateId: 'R' },
    { id: 'R', type: 'remote-candidate', address: '10.1.2.3', candidateType: 'host' },
  ];
  assert.deepEqual(connectedPeer(new Map(reports.map((r) => [r.id, r]))), {
    certificate: `sha-256 ${FP}`,
    candidate: { address: '10.1.2.3', type: 'host' },
  });
  assert.deepEqual(connectedPeer(new Map()), { certificate: undefined, candidate: undefined });
});

test('base64url round-trips and refuses other alphabets', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 255);
  assert.deepEqual(fromBase64Url(toBase64Url(bytes)), bytes);
  assert.equal(toBase64Url(Uint8Array.of(251, 255)), '-_8');
  assert.throws(() => fromBase64Url('ab+/'), { code: 'invalid_input' });
  assert.throws(() => fromBase64Url('abcde'), { code: 'invalid_input' });
});
