// Encoders and decoders of the X11 requests and events a damage-driven screen capture needs:
// core GetImage and QueryPointer, the DAMAGE extension and the cursor part of XFIXES. They sit
// on X11Connection's raw request()/send(); requests are little-endian like the connection's.
import type { X11Connection } from './X11Connection.ts';

/** A rectangle in root window pixels. */
export interface X11Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const Opcode = { QueryPointer: 38, GetImage: 73 } as const;
const Z_PIXMAP = 2;

const DamageRequest = { QueryVersion: 0, Create: 1, Destroy: 2, Subtract: 3 } as const;
/** Report levels of DamageCreate. */
export const DamageReportLevel = { RawRectangles: 0, DeltaRectangles: 1, BoundingBox: 2, NonEmpty: 3 } as const;

const XFixesRequest = { QueryVersion: 0, SelectCursorInput: 3, GetCursorImage: 4 } as const;
/** XFIXES event offsets from the extension's first event. */
const XFIXES_CURSOR_NOTIFY = 1;
const DISPLAY_CURSOR_NOTIFY_MASK = 1;

/** Builds a request of `words` 4-byte units with its opcode, minor opcode (or data byte) and length set. */
function requestOf(words: number, major: number, minor: number): Buffer {
  const req = Buffer.alloc(words * 4);
  req.writeUInt8(major, 0);
  req.writeUInt8(minor, 1);
  req.writeUInt16LE(words, 2);
  return req;
}

/**
 * Reads a rectangle of a drawable as a ZPixmap image (all planes). Resolves with the whole reply:
 * depth at byte 1, pixels from byte 32 (rows padded as the setup's scanline pad says). Rejects with
 * X11ProtocolError BadMatch when the rectangle is not inside the drawable.
 */
export function getImage(conn: X11Connection, drawable: number, r: X11Rect): Promise<Buffer> {
  const req = requestOf(5, Opcode.GetImage, Z_PIXMAP);
  req.writeUInt32LE(drawable >>> 0, 4);
  req.writeInt16LE(r.x, 8);
  req.writeInt16LE(r.y, 10);
  req.writeUInt16LE(r.width, 12);
  req.writeUInt16LE(r.height, 14);
  req.writeUInt32LE(0xffffffff, 16);
  return conn.request(req);
}

/** Where the pointer is, in root window pixels. */
export async function queryPointer(conn: X11Connection): Promise<{ x: number; y: number }> {
  const req = requestOf(2, Opcode.QueryPointer, 0);
  req.writeUInt32LE(conn.setup.root, 4);
  const reply = await conn.request(req);
  return { x: reply.readInt16LE(16), y: reply.readInt16LE(18) };
}

/** Negotiates the DAMAGE version (required before any other DAMAGE request); resolves with the server's. */
export async function damageQueryVersion(conn: X11Connection, opcode: number): Promise<{ major: number; minor: number }> {
  const req = requestOf(3, opcode, DamageRequest.QueryVersion);
  req.writeUInt32LE(1, 4);
  req.writeUInt32LE(1, 8);
  const reply = await conn.request(req);
  return { major: reply.readUInt32LE(8), minor: reply.readUInt32LE(12) };
}

/** Creates damage object `damage` watching `drawable` (no reply). */
export function damageCreate(conn: X11Connection, opcode: number, damage: number, drawable: number, level: number): void {
  const req = requestOf(4, opcode, DamageRequest.Create);
  req.writeUInt32LE(damage >>> 0, 4);
  req.writeUInt32LE(drawable >>> 0, 8);
  req.writeUInt8(level, 12);
  conn.send(req);
}

/** Empties the damage region, so that the next change is reported again (no reply). */
export function damageSubtractAll(conn: X11Connection, opcode: number, damage: number): void {
  const req = requestOf(4, opcode, DamageRequest.Subtract);
  req.writeUInt32LE(damage >>> 0, 4);
  // repair and parts None: subtract everything, return nothing.
  conn.send(req);
}

/** Frees a damage object (no reply). */
export function damageDestroy(conn: X11Connection, opcode: number, damage: number): void {
  const req = requestOf(2, opcode, DamageRequest.Destroy);
  req.writeUInt32LE(damage >>> 0, 4);
  conn.send(req);
}

/**
 * The changed rectangle of a DamageNotify event (the extension's first event), in the drawable's
 * coordinates; undefined for any other event.
 */
export function parseDamageNotify(event: Buffer, firstEvent: number): X11Rect | undefined {
  if ((event[0]! & 0x7f) !== firstEvent) return undefined;
  return { x: event.readInt16LE(16), y: event.readInt16LE(18), width: event.readUInt16LE(20), height: event.readUInt16LE(22) };
}

/** Negotiates the XFIXES version (required before any other XFIXES request); resolves with the server's. */
export async function xfixesQueryVersion(conn: X11Connection, opcode: number): Promise<{ major: number; minor: number }> {
  const req = requestOf(3, opcode, XFixesRequest.QueryVersion);
  req.writeUInt32LE(4, 4);
  req.writeUInt32LE(0, 8);
  const reply = await conn.request(req);
  return { major: reply.readUInt32LE(8), minor: reply.readUInt32LE(12) };
}

/** Asks for a CursorNotify event whenever the displayed cursor changes shape (no reply). */
export function xfixesSelectCursorInput(conn: X11Connection, opcode: number, window: number): void {
  const req = requestOf(3, opcode, XFixesRequest.SelectCursorInput);
  req.writeUInt32LE(window >>> 0, 4);
  req.writeUInt32LE(DISPLAY_CURSOR_NOTIFY_MASK, 8);
  conn.send(req);
}

/** True for XFIXES' CursorNotify event. */
export function isCursorNotify(event: Buffer, firstEvent: number): boolean {
  return (event[0]! & 0x7f) === firstEvent + XFIXES_CURSOR_NOTIFY;
}

/** The displayed cursor: its image and where it is. */
export interface X11CursorImage {
  /** Pointer position, root window pixels. */
  x: number;
  y: number;
  /** Pixels. */
  width: number;
  height: number;
  /** Hotspot inside the image: the image's top-left corner is at (x - xhot, y - yhot). */
  xhot: number;
  yhot: number;
  /** Changes whenever the cursor changes. */
  serial: number;
  /** width*height pixels, premultiplied ARGB as little-endian 32-bit words, i.e. bytes B, G, R, A. */
  pixels: Buffer;
}

/** Reads the displayed cursor image (XFixesGetCursorImage). */
export async function xfixesGetCursorImage(conn: X11Connection, opcode: number): Promise<X11CursorImage> {
  const reply = await conn.request(requestOf(1, opcode, XFixesRequest.GetCursorImage));
  const width = reply.readUInt16LE(12);
  const height = reply.readUInt16LE(14);
  return {
    x: reply.readInt16LE(8),
    y: reply.readInt16LE(10),
    width,
    height,
    xhot: reply.readUInt16LE(16),
    yhot: reply.readUInt16LE(18),
    serial: reply.readUInt32LE(20),
    pixels: reply.subarray(32, 32 + width * height * 4),
  };
}

const XIRequest = { SelectEvents: 46, QueryVersion: 47 } as const;
const XI_RAW_MOTION = 17;
/** XI2 device id meaning "every device", so that any pointer's motion is reported. */
const XI_ALL_DEVICES = 0;
const GENERIC_EVENT = 35;

/** Negotiates XI2 (XInputExtension 2.2 asked); resolves with the server's version. */
export async function xiQueryVersion(conn: X11Connection, opcode: number): Promise<{ major: number; minor: number }> {
  const req = requestOf(2, opcode, XIRequest.QueryVersion);
  req.writeUInt16LE(2, 4);
  req.writeUInt16LE(2, 6);
  const reply = await conn.request(req);
  return { major: reply.readUInt16LE(8), minor: reply.readUInt16LE(10) };
}

/**
 * Asks for XI2 RawMotion events of every device on `root` (no reply): an event for each pointer
 * movement, whoever has the pointer grabbed. They carry no screen position; query it.
 */
export function xiSelectRawMotion(conn: X11Connection, opcode: number, root: number): void {
  const req = requestOf(5, opcode, XIRequest.SelectEvents);
  req.writeUInt32LE(root >>> 0, 4);
  req.writeUInt16LE(1, 8); // one mask
  req.writeUInt16LE(XI_ALL_DEVICES, 12);
  req.writeUInt16LE(1, 14); // mask length in 4-byte units
  req.writeUInt32LE(1 << XI_RAW_MOTION, 16);
  conn.send(req);
}

/** True for an XI2 RawMotion event (a GenericEvent of the XInputExtension). */
export function isRawMotion(event: Buffer, opcode: number): boolean {
  return (event[0]! & 0x7f) === GENERIC_EVENT && event[1] === opcode && event.readUInt16LE(8) === XI_RAW_MOTION;
}
