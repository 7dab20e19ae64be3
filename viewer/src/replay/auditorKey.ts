/**
 * The auditor's key as the console holds it: a non-extractable X25519 private CryptoKey (kept in
 * IndexedDB). HPKE needs the matching public key too (FORMAT.md REC5); it is computed in WebCrypto
 * as the Diffie-Hellman of the private key with the X25519 base point, so the private key never
 * leaves WebCrypto.
 */
import type { AuditorKey } from '@wardlink/recordings';

/** What the player accepts: a private CryptoKey alone, or any key `openRecording` takes. */
export type PlayerAuditorKey = CryptoKey | AuditorKey;

/** The X25519 base point (u = 9), little-endian. */
const BASE_POINT = new Uint8Array(32);
BASE_POINT[0] = 9;

/** `key` as an `openRecording` key: a lone private CryptoKey gets its public key. */
export async function toAuditorKey(key: PlayerAuditorKey): Promise<AuditorKey> {
  if (!(key instanceof CryptoKey)) return key;
  const base = await crypto.subtle.importKey('raw', BASE_POINT, { name: 'X25519' }, true, []);
  const raw = await crypto.subtle.deriveBits({ name: 'X25519', public: base }, key, 256);
  const publicKey = await crypto.subtle.importKey('raw', raw, { name: 'X25519' }, true, []);
  return { privateKey: key, publicKey };
}
