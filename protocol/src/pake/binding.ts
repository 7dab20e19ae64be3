/**
 * Binding the PIN handshake to the WebRTC connection (docs/SPEC.md PIN2, PIN6): the DTLS
 * fingerprints read from the SDPs become CPace's associated data, and once connected each side
 * checks that the certificate its peer actually presented is the one that was bound.
 * Runs unchanged in Node (@roamhq/wrtc) and the browser.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { CPaceError } from './errors.ts';

/** The only fingerprint algorithm accepted in a session's SDP. */
export const FINGERPRINT_ALGORITHM = 'sha-256';

const FINGERPRINT_LINE = /^a=fingerprint:(\S+) (\S+)\s*$/i;
const SHA256_HEX = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/;

/**
 * The single DTLS fingerprint of an SDP, canonical: `sha-256 AB:CD:...` with upper-case hex.
 * Refused (CPaceError 'invalid_input'): no fingerprint, any algorithm other than sha-256, a
 * malformed value, or two different fingerprints (each m-section may repeat the same one).
 */
export function dtlsFingerprint(sdp: string): string {
  const found = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.toLowerCase().startsWith('a=fingerprint:')) continue;
    const match = FINGERPRINT_LINE.exec(line);
    const algorithm = match?.[1]?.toLowerCase();
    const value = match?.[2]?.toUpperCase();
    if (algorithm !== FINGERPRINT_ALGORITHM || !value || !SHA256_HEX.test(value)) {
      throw CPaceError.invalidInput('DTLS fingerprint');
    }
    found.add(`${FINGERPRINT_ALGORITHM} ${value}`);
  }
  const [only, ...others] = found;
  if (!only || others.length > 0) throw CPaceError.invalidInput('DTLS fingerprint');
  return only;
}

/** The bytes a canonical fingerprint contributes as associated data (ADa = F_V, ADb = F_H). */
export function fingerprintBytes(fingerprint: string): Uint8Array {
  return utf8ToBytes(fingerprint);
}

/** The slice of an RTCStatsReport this module reads; the browser's and wrtc's both fit. */
export interface StatsLike {
  forEach(callback: (report: Record<string, unknown>) => void): void;
}

/** What the connected transport says about the other end, from getStats(). */
export interface ConnectedPeer {
  /** Canonical fingerprint of the certificate the peer presented, if the transport is up. */
  certificate: string | undefined;
  /** The selected remote candidate, if known. */
  candidate: { address: string | undefined; type: string | undefined } | undefined;
}

/**
 * Reads the remote DTLS certificate and the selected remote ICE candidate from getStats().
 * Both Chromium and @roamhq/wrtc report `transport.remoteCertificateId` and
 * `transport.selectedCandidatePairId`.
 */
export function connectedPeer(stats: StatsLike): ConnectedPeer {
  const byId = new Map<string, Record<string, unknown>>();
  const transports: Array<Record<string, unknown>> = [];
  stats.forEach((report) => {
    if (typeof report.id === 'string') byId.set(report.id, report);
    if (report.type === 'transport') transports.push(report);
  });
  const transport = transports.find((t) => t.dtlsState === 'connected') ?? transports[0];
  const cert = transport ? byId.get(String(transport.remoteCertificateId)) : undefined;
  const algorithm = typeof cert?.fingerprintAlgorithm === 'string' ? cert.fingerprintAlgorithm.toLowerCase() : undefined;
  const value = typeof cert?.fingerprint === 'string' ? cert.fingerprint.toUpperCase() : undefined;
  const pair = transport ? byId.get(String(transport.selectedCandidatePairId)) : undefined;
  const remote = pair ? byId.get(String(pair.remoteCandidateId)) : undefined;
  const address = remote?.address ?? remote?.ip;
  return {
    certificate: algorithm && value ? `${algorithm} ${value}` : undefined,
    candidate: remote
      ? {
          address: typeof address === 'string' ? address : undefined,
          type: typeof remote.candidateType === 'string' ? remote.candidateType : undefined,
        }
      : undefined,
  };
}

/** base64url without padding, for the handshake's byte fields on the wire. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url without padding; throws CPaceError 'invalid_input' on anything else. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw CPaceError.invalidInput('encoding');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
