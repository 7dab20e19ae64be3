/**
 * Auditor keys (FORMAT.md REC5): X25519 key pairs that open recordings. In the auditor's browser
 * the private key is a non-extractable WebCrypto key (storable in IndexedDB); a raw 32-byte
 * private key is accepted too, for escrow copies and tests.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { concat, toBase64Url } from './bytes.ts';
import { sha256, subtle } from './crypto.ts';
import { RecordingError } from './errors.ts';
import type { AuditorRecipient } from './types.ts';

/** An auditor key pair as made by {@link generateAuditorKeyPair}: usable directly as a CryptoKeyPair. */
export interface AuditorKeyPair extends CryptoKeyPair {
  /** Raw X25519 public key, 32 bytes: what goes into the host policy. */
  rawPublicKey: Uint8Array;
  /** {@link auditorKeyId} of the public key. */
  keyId: string;
}

/** Bytes of a raw X25519 key. */
export const X25519_KEY_BYTES = 32;

// PKCS#8 prefix of an X25519 private key (RFC 8410): the raw 32 bytes follow.
const PKCS8_X25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** The key id of an auditor public key: base64url of the first 16 bytes of its SHA-256 (22 characters). */
export function auditorKeyId(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== X25519_KEY_BYTES) {
    throw RecordingError.invalidInput('An auditor public key is 32 raw X25519 bytes.');
  }
  return toBase64Url(sha256(publicKey).subarray(0, 16));
}

/** The recipient entry for an auditor public key, with the conventional key id. */
export function auditorRecipient(publicKey: Uint8Array): AuditorRecipient {
  return { keyId: auditorKeyId(publicKey), publicKey };
}

/** A new X25519 key pair whose private key can never be exported (WebCrypto `extractable: false`). */
export async function generateAuditorKeyPair(): Promise<AuditorKeyPair> {
  let pair: CryptoKeyPair;
  try {
    pair = (await subtle().generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
  } catch (err) {
    throw RecordingError.unsupported('X25519 in WebCrypto', err);
  }
  const rawPublicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, rawPublicKey, keyId: auditorKeyId(rawPublicKey) };
}

/** The raw public key of an X25519 CryptoKeyPair (public keys are always exportable). */
export async function rawPublicKeyOf(pair: CryptoKeyPair): Promise<Uint8Array> {
  try {
    return new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  } catch (err) {
    throw RecordingError.invalidInput(`Not an X25519 key pair (${(err as Error).name}).`);
  }
}

/**
 * Imports a raw 32-byte X25519 private key as a key pair with a non-extractable private key.
 * The public key is computed here, so `@hpke/core` never needs to export the private key.
 */
export async function importAuditorPrivateKey(privateKey: Uint8Array): Promise<AuditorKeyPair> {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== X25519_KEY_BYTES) {
    throw RecordingError.invalidInput('An auditor private key is 32 raw X25519 bytes.');
  }
  const rawPublicKey = x25519.getPublicKey(privateKey);
  const pkcs8 = concat(PKCS8_X25519_PREFIX, privateKey);
  try {
    const key = await subtle().importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, { name: 'X25519' }, false, ['deriveBits']);
    const pub = await subtle().importKey('raw', rawPublicKey as Uint8Array<ArrayBuffer>, { name: 'X25519' }, true, []);
    return { privateKey: key, publicKey: pub, rawPublicKey, keyId: auditorKeyId(rawPublicKey) };
  } catch (err) {
    throw RecordingError.unsupported('X25519 in WebCrypto', err);
  } finally {
    pkcs8.fill(0);
  }
}
