/**
 * Bounded binary reading and writing for the record formats (FORMAT.md REC2). The reader checks
 * every length against what is left before touching it, so garbage fails with a RecordingError in
 * time proportional to its size: never an out-of-bounds read, a huge allocation or a hang.
 */
import { RecordingError } from './errors.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Largest value a varint (LEB128, at most 5 bytes) may hold: 2^32 - 1. */
export const MAX_VARINT = 0xffff_ffff;

/** Appends big-endian integers, varints, strings and raw bytes to a growing buffer. */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  private length = 0;

  /** `initial` is the starting capacity in bytes; the buffer doubles as needed. */
  constructor(initial = 256) {
    this.buffer = new Uint8Array(initial);
    this.view = new DataView(this.buffer.buffer);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  /** Appends one byte. */
  u8(value: number): this {
    this.reserve(1).setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  /** Appends a big-endian 16-bit unsigned integer. */
  u16(value: number): this {
    this.reserve(2).setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  /** Appends a big-endian 32-bit unsigned integer. */
  u32(value: number): this {
    this.reserve(4).setUint32(this.length, value);
    this.length += 4;
    return this;
  }

  /** Appends a big-endian 64-bit unsigned integer (a safe JavaScript integer). */
  u64(value: number): this {
    this.reserve(8).setBigUint64(this.length, BigInt(value));
    this.length += 8;
    return this;
  }

  /** Appends an unsigned LEB128 varint of at most {@link MAX_VARINT}. */
  varint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.u8((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    return this.u8(rest);
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Appends a UTF-8 string with a one-byte length prefix (at most 255 bytes). */
  str8(text: string): this {
    const data = encoder.encode(text);
    return this.u8(data.length).bytes(data);
  }

  /** Appends a UTF-8 string with a two-byte length prefix (at most 65535 bytes). */
  str16(text: string): this {
    const data = encoder.encode(text);
    return this.u16(data.length).bytes(data);
  }

  /** The bytes written, as a copy of exactly the written length. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): DataView {
    if (this.length + extra > this.buffer.length) {
      let capacity = this.buffer.length * 2;
      while (capacity < this.length + extra) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    return this.view;
  }
}

/**
 * Reads a record front to back. Any read past the end, non-minimal varint or invalid UTF-8
 * throws `RecordingError.format(what)`, where `what` names the record being read.
 */
export class ByteReader {
  /** Current position, in bytes from the start. */
  offset = 0;
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly what: string;
  private readonly segment: number | undefined;

  /** `what` names the record in error messages; `segment` is attached to errors when known. */
  constructor(data: Uint8Array, what: string, segment?: number) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.what = what;
    this.segment = segment;
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.data.length - this.offset;
  }

  /** A format error about `field` of this record. */
  fail(field: string): RecordingError {
    return RecordingError.format(`${this.what}: ${field}`, this.segment);
  }

  /** Reads one byte. */
  u8(field: string): number {
    this.need(1, field);
    return this.data[this.offset++] as number;
  }

  /** Reads a big-endian 16-bit unsigned integer. */
  u16(field: string): number {
    this.need(2, field);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  /** Reads a big-endian 32-bit unsigned integer. */
  u32(field: string): number {
    this.need(4, field);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  /** Reads a big-endian 64-bit unsigned integer that must be a safe JavaScript integer. */
  u64(field: string): number {
    this.need(8, field);
    const value = this.view.getBigUint64(this.offset);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(`${field} out of range`);
    return Number(value);
  }

  /** Reads a minimal unsigned LEB128 varint of at most {@link MAX_VARINT}. */
  varint(field: string): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8(field);
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (i > 0 && byte === 0) throw this.fail(`${field} is not minimally encoded`);
        if (value > MAX_VARINT) throw this.fail(`${field} out of range`);
        return value;
      }
    }
    throw this.fail(`${field} is too long`);
  }

  /** Reads `length` raw bytes as a view into the record (no copy). */
  bytes(length: number, field: string): Uint8Array {
    this.need(length, field);
    const out = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** Reads a string with a one-byte length prefix. */
  str8(field: string): string {
    return this.utf8(this.bytes(this.u8(field), field), field);
  }

  /** Reads a string with a two-byte length prefix. */
  str16(field: string): string {
    return this.utf8(this.bytes(this.u16(field), field), field);
  }

  /** Throws unless every byte was read: records never carry trailing data. */
  end(): void {
    if (this.remaining !== 0) throw this.fail(`${this.remaining} unexpected trailing bytes`);
  }

  private utf8(data: Uint8Array, field: string): string {
    try {
      return decoder.decode(data);
    } catch {
      throw this.fail(`${field} is not valid UTF-8`);
    }
  }

  private need(length: number, field: string): void {
    if (length > this.remaining) throw this.fail(`${field} runs past the end (cut short?)`);
  }
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Byte-wise equality of public values (hashes, ids); not constant time. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Big-endian 32-bit encoding of `value`. */
export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** Lowercase hex of bytes. */
export function toHex(data: Uint8Array): string {
  let out = '';
  for (const byte of data) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Unpadded base64url of bytes. */
export function toBase64Url(data: Uint8Array): string {
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of unpadded base64url text; throws `invalid_input` on anything else. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw RecordingError.invalidInput('Not base64url text.');
  }
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
