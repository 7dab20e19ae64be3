import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dtlsFingerprint } from '@wardlink/protocol';
import { withVideoBitrate } from './videoBitrate.ts';

const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  `a=fingerprint:sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 45',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:98 VP9/90000',
  'a=fmtp:98 profile-id=0',
  'a=rtpmap:45 AV1/90000',
  'a=fmtp:45 level-idx=5;profile=0;tier=0',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'a=sctp-port:5000',
  '',
].join('\r\n');

const bounds = { maxKbps: 10_000, startKbps: 2_000 };
const params = 'x-google-max-bitrate=10000;x-google-start-bitrate=2000';

describe('withVideoBitrate', () => {
  test('bounds every video codec: existing fmtp lines are extended, missing ones added in the video section', () => {
    const lines = withVideoBitrate(OFFER, bounds).split('\r\n');
    assert.ok(lines.includes(`a=fmtp:98 profile-id=0;${params}`));
    assert.ok(lines.includes(`a=fmtp:45 level-idx=5;profile=0;tier=0;${params}`));
    const vp8 = lines.indexOf(`a=fmtp:96 ${params}`);
    assert.ok(vp8 > 0 && vp8 < lines.indexOf('m=application 9 UDP/DTLS/SCTP webrtc-datachannel'), 'VP8 fmtp inside the video section');
  });

  test('leaves retransmission formats, other sections, the fingerprint and the line endings alone', () => {
    const out = withVideoBitrate(OFFER, bounds);
    assert.ok(out.includes('a=fmtp:97 apt=96\r\n'));
    assert.ok(out.endsWith('a=sctp-port:5000\r\n'));
    assert.equal(dtlsFingerprint(out), dtlsFingerprint(OFFER));
    assert.equal(out.replace(/;?x-google-[a-z-]+=\d+/g, '').replace(/a=fmtp:96 \r\n/, ''), OFFER);
  });

  test('applying it twice changes nothing more', () => {
    const once = withVideoBitrate(OFFER, bounds);
    assert.equal(withVideoBitrate(once, bounds), once);
  });
});
