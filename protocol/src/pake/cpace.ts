/**
 * CPace (draft-irtf-cfrg-cpace) over ristretto255 with SHA-512: the CPACE-RISTR255-SHA512 suite.
 *
 * Pure functions over Uint8Array (no Buffer, no node:crypto) so the same code runs in Node and in
 * the browser bundle. Secret scalars can be injected for the draft's test vectors; in production
 * they are sampled here. Group arithmetic and the RFC 9496 element derivation come from
 * `@noble/curves`, hashing from `@noble/hashes`.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { CPaceError } from './errors.ts';

/** A ristretto255 group element in noble's internal representation. */
export type RistrettoPoint = InstanceType<typeof ristretto255.Point>;

/** Domain-separation identifier of the ristretto255 group environment (G.DSI). */
export const CPACE_DSI: Uint8Array = utf8ToBytes('CPaceRistretto255');

/** Input block size of SHA-512 (H.s_in_bytes), in bytes: the zero padding fills this block. */
export const SHA512_BLOCK_BYTES = 128;

/** Size of an encoded ristretto255 element (Ya, Yb, K), in bytes. */
export const POINT_BYTES = 32;

/** Size of a little-endian encoded scalar, in bytes. */
export const SCALAR_BYTES = 32;

/** Size of the intermediate session key ISK (a SHA-512 output), in bytes. */
export const ISK_BYTES = 64;

/** Order of the ristretto255 group (G.group_order = 2^252 + 27742317777372353535851937790883648493). */
export const GROUP_ORDER: bigint = ristretto255.Point.Fn.ORDER;

/** G.I: the public encoding of the neutral element (32 zero bytes). */
export const IDENTITY_ENCODING: Uint8Array = new Uint8Array(POINT_BYTES);

const DSI_ISK = concatBytes(CPACE_DSI, utf8ToBytes('_ISK'));
const SID_OUTPUT_PREFIX = utf8ToBytes('CPaceSidOutput');
const OC_PREFIX = utf8ToBytes('oc');

/**
 * LEB128 length prefix followed by the data (draft: prepend_len). Makes concatenations
 * prefix-free, so different inputs can never hash to the same transcript.
 */
export function prependLen(data: Uint8Array): Uint8Array {
  const prefix: number[] = [];
  let length = data.length;
  do {
    prefix.push(length < 128 ? length : (length & 0x7f) | 0x80);
    length = Math.floor(length / 128);
  } while (length !== 0);
  const out = new Uint8Array(prefix.length + data.length);
  out.set(prefix, 0);
  out.set(data, prefix.length);
  return out;
}

/** Length-value concatenation (draft: lv_cat): `prepend_len(a0) || prepend_len(a1) || ...`. */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(...parts.map(prependLen));
}

/**
 * True if `a` sorts after `b` byte-wise, a longer string winning a common prefix
 * (draft: lexiographically_larger). Only used on public transcript data.
 */
export function lexicographicallyLarger(a: Uint8Array, b: Uint8Array): boolean {
  const min = Math.min(a.length, b.length);
  for (let i = 0; i < min; i++) {
    if (a[i] !== b[i]) {
      return (a[i] as number) > (b[i] as number);
    }
  }
  return a.length > b.length;
}

/** Ordered concatenation (draft: o_cat): `"oc" || larger || smaller`. */
export function oCat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return lexicographicallyLarger(a, b) ? concatBytes(OC_PREFIX, a, b) : concatBytes(OC_PREFIX, b, a);
}

/**
 * Initiator-responder transcript (draft: transcript_ir): `lv_cat(Ya, ADa) || lv_cat(Yb, ADb)`.
 * wardlink runs CPace in this mode: the viewer is always A, the host always B.
 */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return concatBytes(lvCat(ya, ada), lvCat(yb, adb));
}

/** Symmetric-mode transcript (draft: transcript_oc): `o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb))`. */
export function transcriptOc(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  return oCat(lvCat(ya, ada), lvCat(yb, adb));
}

/**
 * The string hashed into the generator (draft: generator_string):
 * `lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid)`, where the zero padding makes DSI and PRS fill
 * the first hash block of `sInBytes` bytes, so the work done on the PRS does not depend on its length.
 */
export function generatorString(
  dsi: Uint8Array,
  prs: Uint8Array,
  ci: Uint8Array,
  sid: Uint8Array,
  sInBytes: number,
): Uint8Array {
  const lenZpad = Math.max(0, sInBytes - 1 - prependLen(prs).length - prependLen(dsi).length);
  return lvCat(dsi, prs, new Uint8Array(lenZpad), ci, sid);
}

/**
 * G.calculate_generator: hashes the generator string with SHA-512 (64 bytes) and maps it onto the
 * group with the RFC 9496 element derivation (two Elligator maps, added). The generator is secret:
 * it is derived from the PIN.
 */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): RistrettoPoint {
  const uniform = sha512(generatorString(CPACE_DSI, prs, ci, sid, SHA512_BLOCK_BYTES));
  const g = ristretto255_hasher.deriveToCurve?.(uniform);
  if (g === undefined) {
    throw new Error('@noble/curves lacks ristretto255 element derivation');
  }
  return g;
}

/**
 * G.sample_scalar as the draft recommends: 32 random bytes (CSPRNG) with the bits above 252
 * cleared, read little-endian. The result is below the group order; zero is resampled.
 */
export function sampleScalar(): bigint {
  for (;;) {
    const bytes = randomBytes(SCALAR_BYTES);
    bytes[SCALAR_BYTES - 1] = (bytes[SCALAR_BYTES - 1] as number) & 0x0f;
    const scalar = scalarFromBytes(bytes);
    if (scalar !== 0n) {
      return scalar;
    }
  }
}

/** Reads a 32-byte little-endian scalar (the draft's test vectors are written this way). */
export function scalarFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length !== SCALAR_BYTES) {
    throw CPaceError.invalidInput('scalar length');
  }
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) {
    value = (value << 8n) | BigInt(bytes[i] as number);
  }
  return value;
}

/** Accepts a scalar as bigint or 32 little-endian bytes and checks 1 <= y < group order. */
function toScalar(scalar: bigint | Uint8Array): bigint {
  const y = typeof scalar === 'bigint' ? scalar : scalarFromBytes(scalar);
  if (y <= 0n || y >= GROUP_ORDER) {
    throw CPaceError.invalidInput('scalar range');
  }
  return y;
}

/** G.scalar_mult: `encode(y * g)` for a decoded point g; returns 32 bytes. */
export function scalarMult(scalar: bigint | Uint8Array, g: RistrettoPoint): Uint8Array {
  return g.multiply(toScalar(scalar)).toBytes();
}

/**
 * G.scalar_mult_vfy: decodes the received 32-byte encoding X and returns `encode(y * X)`.
 * Where the draft returns G.I (decoding fails, or the result is the neutral element) this throws
 * a CPaceError 'invalid_point', so a caller cannot forget the mandatory abort.
 */
export function scalarMultVfy(scalar: bigint | Uint8Array, encoded: Uint8Array): Uint8Array {
  const y = toScalar(scalar);
  let point: RistrettoPoint;
  try {
    point = ristretto255.Point.fromBytes(encoded);
  } catch (cause) {
    throw CPaceError.invalidPoint(cause);
  }
  const product = point.multiply(y);
  if (product.is0()) {
    throw CPaceError.invalidPoint();
  }
  return product.toBytes();
}

/** One party's state between sending its share and receiving the peer's. Holds a secret scalar. */
export interface CPaceState {
  /** The secret ephemeral scalar (ya or yb). Never reuse it and never send it. */
  readonly scalar: bigint;
  /** This party's public share, 32 bytes; send it with {@link CPaceState.ad}. */
  readonly Y: Uint8Array;
  /** This party's associated data (ADa or ADb), sent in clear and authenticated by the ISK. */
  readonly ad: Uint8Array;
  /** The session identifier both parties agreed on before the run. */
  readonly sid: Uint8Array;
}

/**
 * First half of a CPace run for either role: computes the generator from PRS, CI and sid, samples
 * (or takes, for test vectors) the scalar and returns the state whose `Y` is to be sent.
 */
export function cpaceStart(
  prs: Uint8Array,
  ci: Uint8Array,
  sid: Uint8Array,
  ad: Uint8Array,
  scalar?: bigint | Uint8Array,
): CPaceState {
  const y = scalar === undefined ? sampleScalar() : toScalar(scalar);
  const g = calculateGenerator(prs, ci, sid);
  return { scalar: y, Y: scalarMult(y, g), ad, sid };
}

/**
 * ISK = SHA-512(lv_cat(DSI || "_ISK", sid, K) || transcript). Internal: K must never leave this
 * module (draft, "Key derivation").
 */
function deriveIsk(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(lvCat(DSI_ISK, sid, k), transcript));
}

/**
 * Initiator (A) completes the run with B's share and associated data. Returns the 64-byte ISK;
 * throws CPaceError 'invalid_point' when Yb is invalid or the shared point is the identity.
 */
export function cpaceFinishInitiator(state: CPaceState, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  const k = scalarMultVfy(state.scalar, yb);
  return deriveIsk(state.sid, k, transcriptIr(state.Y, state.ad, yb, adb));
}

/**
 * Responder (B) completes the run with A's share and associated data. Returns the 64-byte ISK;
 * throws CPaceError 'invalid_point' when Ya is invalid or the shared point is the identity.
 */
export function cpaceFinishResponder(state: CPaceState, ya: Uint8Array, ada: Uint8Array): Uint8Array {
  const k = scalarMultVfy(state.scalar, ya);
  return deriveIsk(state.sid, k, transcriptIr(ya, ada, state.Y, state.ad));
}

/**
 * Symmetric mode (no fixed roles, transcript_oc): either party completes with the other's share.
 * Not used by wardlink; kept because it is cheap and covered by the draft's vectors.
 */
export function cpaceFinishSymmetric(state: CPaceState, yOther: Uint8Array, adOther: Uint8Array): Uint8Array {
  const k = scalarMultVfy(state.scalar, yOther);
  return deriveIsk(state.sid, k, transcriptOc(state.Y, state.ad, yOther, adOther));
}

/**
 * Optional public session id for runs without an input sid (draft: sid_output):
 * SHA-512("CPaceSidOutput" || transcript); 64 bytes. Pass a transcript from
 * {@link transcriptIr} or {@link transcriptOc}.
 */
export function cpaceSidOutput(transcript: Uint8Array): Uint8Array {
  return sha512(concatBytes(SID_OUTPUT_PREFIX, transcript));
}
