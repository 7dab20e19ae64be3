/**
 * The cryptographic primitives of the format (FORMAT.md REC3, REC5, REC7, REC10-REC12), on
 * WebCrypto (`globalThis.crypto.subtle`) so the same code runs in Node 20 and the browser:
 * AES-256-GCM, HKDF-SHA256, HMAC-SHA256, Ed25519 and, through `@hpke/core`, X25519 HPKE.
 * SHA-256 comes from `@noble/hashes` because `inspectHeader` must hash synchronously.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { RecordingError } from './errors.ts';

/** A view typed for WebCrypto (every array here is backed by a plain ArrayBuffer). */
function bs(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return data as Uint8Array<ArrayBuffer>;
}

/** The platform's SubtleCrypto, or an `unsupported` error. */
export function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) throw RecordingError.unsupported('WebCrypto (a secure context is needed in the browser)');
  return api;
}

/** `length` bytes from the platform CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** SHA-256 of the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = nobleSha256.create();
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The two subkeys of a file key (REC7): the header MAC key and the segment AEAD key. */
export interface FileKeys {
  macKey: CryptoKey;
  segmentKey: CryptoKey;
}

/**
 * HKDF-SHA256(fileKey, salt = empty, info) into a non-extractable HMAC-SHA256 key and a
 * non-extractable AES-256-GCM key. The raw file key can be wiped right after.
 */
export async function deriveFileKeys(fileKey: Uint8Array, macInfo: Uint8Array, segmentInfo: Uint8Array): Promise<FileKeys> {
  const api = subtle();
  const ikm = await api.importKey('raw', bs(fileKey), 'HKDF', false, ['deriveKey']);
  const salt = new Uint8Array(0);
  const macKey = await api.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: bs(macInfo) },
    ikm,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
  const segmentKey = await api.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: bs(segmentInfo) },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { macKey, segmentKey };
}

/** HMAC-SHA256 tag (32 bytes). */
export async function hmac(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', key, bs(data)));
}

/** Constant-time HMAC-SHA256 check (WebCrypto `verify`). */
export async function hmacVerify(key: CryptoKey, tag: Uint8Array, data: Uint8Array): Promise<boolean> {
  return subtle().verify('HMAC', key, bs(tag), bs(data));
}

/** AES-256-GCM encryption with a 12-byte nonce; the output ends with the 16-byte tag. */
export async function aeadSeal(key: CryptoKey, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const sealed = await subtle().encrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad) }, key, bs(plaintext));
  return new Uint8Array(sealed);
}

/** AES-256-GCM decryption; `undefined` when the tag does not verify. */
export async function aeadOpen(key: CryptoKey, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    const opened = await subtle().decrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad) }, key, bs(ciphertext));
    return new Uint8Array(opened);
  } catch {
    return undefined;
  }
}

/** Imported Ed25519 public keys, by their raw bytes (verification is hot: once per segment). */
const ed25519Keys = new Map<string, Promise<CryptoKey | 'noble'>>();

async function importEd25519(publicKey: Uint8Array): Promise<CryptoKey | 'noble'> {
  try {
    return await subtle().importKey('raw', bs(publicKey), { name: 'Ed25519' }, false, ['verify']);
  } catch (err) {
    // Platforms without WebCrypto Ed25519 fall back to @noble/curves (strict RFC 8032 rules).
    if (err instanceof Error && err.name === 'NotSupportedError') return 'noble';
    throw err;
  }
}

/** Ed25519 verification; false for any malformed key or signature, never an exception. */
export async function ed25519Verify(publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const id = String.fromCharCode(...publicKey);
  let key = ed25519Keys.get(id);
  if (!key) {
    if (ed25519Keys.size > 64) ed25519Keys.clear();
    key = importEd25519(publicKey);
    ed25519Keys.set(id, key);
  }
  try {
    const resolved = await key;
    if (resolved === 'noble') return ed25519.verify(signature, message, publicKey, { zip215: false });
    return await subtle().verify('Ed25519', resolved, bs(signature), bs(message));
  } catch {
    return false;
  }
}

let suite: CipherSuite | undefined;

/** HPKE RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (REC5). */
export function hpkeSuite(): CipherSuite {
  suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
  return suite;
}

/** Wraps `fileKey` for a raw X25519 public key: the encapsulated key (32 bytes) and the ciphertext (48 bytes). */
export async function hpkeWrap(
  recipientPublicKey: Uint8Array,
  fileKey: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<{ enc: Uint8Array; wrapped: Uint8Array }> {
  const hpke = hpkeSuite();
  const publicKey = await hpke.kem.deserializePublicKey(bs(recipientPublicKey));
  const { enc, ct } = await hpke.seal({ recipientPublicKey: publicKey, info: bs(info) }, bs(fileKey), bs(aad));
  return { enc: new Uint8Array(enc), wrapped: new Uint8Array(ct) };
}

/**
 * Unwraps a file key with an X25519 key pair. The whole pair is passed to `@hpke/core`, so a
 * non-extractable private key works (FIELD-NOTES). Returns `undefined` if it does not open.
 */
export async function hpkeUnwrap(
  recipientKey: CryptoKeyPair,
  enc: Uint8Array,
  wrapped: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array | undefined> {
  try {
    const opened = await hpkeSuite().open({ recipientKey, enc: bs(enc), info: bs(info) }, bs(wrapped), bs(aad));
    return new Uint8Array(opened);
  } catch {
    return undefined;
  }
}
