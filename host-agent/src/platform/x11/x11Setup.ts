import type { Socket } from 'node:net';
import { PlatformError } from '../errors.ts';
import type { XAuthCookie } from './xauth.ts';

/** What the connection setup told us about the server and the chosen screen. */
export interface X11Setup {
  minKeycode: number;
  maxKeycode: number;
  /** Root window of the screen. */
  root: number;
  /** Pixels. */
  width: number;
  /** Pixels. */
  height: number;
  /** Resource ids this client allocates are `resourceIdBase | n` with n inside `resourceIdMask`. */
  resourceIdBase: number;
  resourceIdMask: number;
  /** Byte order of image data: 0 LSBFirst (little-endian), 1 MSBFirst. */
  imageByteOrder: number;
  /** Depth of the root window in bits (24 on a usual true-colour screen). */
  rootDepth: number;
  /** Bits per pixel of ZPixmap images at the root depth (32 for depth 24); 0 if the server lists none. */
  rootBitsPerPixel: number;
  /** Bits: each ZPixmap scanline at the root depth is padded to a multiple of this. */
  rootScanlinePad: number;
  /** Colour masks of the root window's visual (e.g. red 0xff0000, green 0xff00, blue 0xff). */
  rootVisualMasks: { red: number; green: number; blue: number };
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** Sends the connection setup and parses the reply for the given screen. */
export function handshake(socket: Socket, display: string, cookie: XAuthCookie, screen: number, timeoutMs: number): Promise<X11Setup> {
  const name = Buffer.from(cookie.name, 'latin1');
  const req = Buffer.alloc(12 + name.length + pad4(name.length) + cookie.data.length + pad4(cookie.data.length));
  req.write('l', 0, 'latin1'); // Little-endian.
  req.writeUInt16LE(11, 2); // Protocol 11.0.
  req.writeUInt16LE(name.length, 6);
  req.writeUInt16LE(cookie.data.length, 8);
  name.copy(req, 12);
  cookie.data.copy(req, 12 + name.length + pad4(name.length));

  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => done(PlatformError.displayUnavailable(display, 'no setup reply')), timeoutMs);
    const onData = (chunk: Buffer): void => {
      got = Buffer.concat([got, chunk]);
      if (got.length < 8) return;
      const total = 8 + got.readUInt16LE(6) * 4;
      if (got.length < total) return;
      try {
        done(undefined, parseSetup(got.subarray(0, total), display, screen));
      } catch (err) {
        done(err as Error);
      }
    };
    const onClose = (): void => done(PlatformError.displayUnavailable(display, 'the server closed the connection during setup'));
    function done(err: Error | undefined, setup?: X11Setup): void {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      if (err) reject(err);
      else resolve(setup!);
    }
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(req);
  });
}

function parseSetup(r: Buffer, display: string, screenIndex: number): X11Setup {
  if (r[0] !== 1) {
    const reasonLength = r[0] === 0 ? r[1]! : r.length - 8;
    const reason = r.subarray(8, 8 + reasonLength).toString('latin1').replace(/\0+$/, '').trim();
    throw PlatformError.displayUnavailable(display, `the server refused the connection: ${reason || 'no reason given'}`);
  }
  const vendorLength = r.readUInt16LE(24);
  const screens = r[28]!;
  const formats = r[29]!;
  if (screenIndex >= screens) throw PlatformError.displayUnavailable(display, `no screen ${screenIndex}`);
  const formatsAt = 40 + vendorLength + pad4(vendorLength);
  let pos = formatsAt + 8 * formats;
  for (let i = 0; i < screenIndex; i++) pos = skipScreen(r, pos);
  const rootDepth = r[pos + 38]!;
  let rootBitsPerPixel = 0;
  let rootScanlinePad = 0;
  for (let f = formatsAt; f < formatsAt + 8 * formats; f += 8) {
    if (r[f] !== rootDepth) continue;
    rootBitsPerPixel = r[f + 1]!;
    rootScanlinePad = r[f + 2]!;
  }
  return {
    minKeycode: r[34]!,
    maxKeycode: r[35]!,
    root: r.readUInt32LE(pos),
    width: r.readUInt16LE(pos + 20),
    height: r.readUInt16LE(pos + 22),
    resourceIdBase: r.readUInt32LE(12),
    resourceIdMask: r.readUInt32LE(16),
    imageByteOrder: r[30]!,
    rootDepth,
    rootBitsPerPixel,
    rootScanlinePad,
    rootVisualMasks: visualMasks(r, pos, r.readUInt32LE(pos + 32)),
  };
}

/** Position of the screen after the one at `pos` in the setup reply. */
function skipScreen(r: Buffer, pos: number): number {
  const depths = r[pos + 39]!;
  let next = pos + 40;
  for (let d = 0; d < depths; d++) next += 8 + 24 * r.readUInt16LE(next + 2);
  return next;
}

/** The colour masks of `visualId` among the depths of the screen at `pos` (all 0 if not listed). */
function visualMasks(r: Buffer, pos: number, visualId: number): { red: number; green: number; blue: number } {
  const depths = r[pos + 39]!;
  let at = pos + 40;
  for (let d = 0; d < depths; d++) {
    const visuals = r.readUInt16LE(at + 2);
    for (let v = 0; v < visuals; v++) {
      const visual = at + 8 + 24 * v;
      if (r.readUInt32LE(visual) === visualId) {
        return { red: r.readUInt32LE(visual + 8), green: r.readUInt32LE(visual + 12), blue: r.readUInt32LE(visual + 16) };
      }
    }
    at += 8 + 24 * visuals;
  }
  return { red: 0, green: 0, blue: 0 };
}
