import { readFileSync } from 'node:fs';

/** Credentials sent in the X11 connection setup. Empty name and data mean "no authorisation". */
export interface XAuthCookie {
  name: string;
  data: Buffer;
}

/** Xauthority address families (Xauth.h). */
const FAMILY_LOCAL = 256;
const FAMILY_WILD = 65535;
/** The only scheme X servers still offer by default. */
const MIT_MAGIC_COOKIE = 'MIT-MAGIC-COOKIE-1';

/** One record of an Xauthority file. */
interface XAuthEntry {
  family: number;
  address: string;
  number: string;
  name: string;
  data: Buffer;
}

/**
 * Parses an Xauthority file: records of family (uint16 big-endian) followed by four
 * length-prefixed fields (address, display number, auth name, auth data). A truncated tail is
 * ignored, as Xlib does.
 */
export function parseXAuthority(bytes: Buffer): XAuthEntry[] {
  const entries: XAuthEntry[] = [];
  let pos = 0;
  const field = (): Buffer | undefined => {
    if (pos + 2 > bytes.length) return undefined;
    const len = bytes.readUInt16BE(pos);
    if (pos + 2 + len > bytes.length) return undefined;
    const value = bytes.subarray(pos + 2, pos + 2 + len);
    pos += 2 + len;
    return value;
  };
  while (pos + 2 <= bytes.length) {
    const family = bytes.readUInt16BE(pos);
    pos += 2;
    const address = field();
    const number = field();
    const name = field();
    const data = field();
    if (!address || !number || !name || !data) break;
    entries.push({
      family,
      address: address.toString('latin1'),
      number: number.toString('latin1'),
      name: name.toString('latin1'),
      data: Buffer.from(data),
    });
  }
  return entries;
}

/**
 * Picks the MIT-MAGIC-COOKIE-1 for a local display: an entry for this host name (family Local)
 * or a wildcard entry, with the same display number. Returns an empty cookie when none matches,
 * which is what an X server started without `-auth` (e.g. Xvfb in tests) expects.
 */
export function findCookie(entries: XAuthEntry[], hostname: string, displayNumber: number): XAuthCookie {
  const wanted = String(displayNumber);
  const match = entries.find(
    (e) =>
      e.name === MIT_MAGIC_COOKIE &&
      (e.number === wanted || e.number === '') &&
      ((e.family === FAMILY_LOCAL && e.address === hostname) || e.family === FAMILY_WILD),
  );
  return match ? { name: match.name, data: match.data } : { name: '', data: Buffer.alloc(0) };
}

/** Reads the cookie for a local display from an Xauthority file; a missing file means no cookie. */
export function readCookie(path: string | undefined, hostname: string, displayNumber: number): XAuthCookie {
  if (!path) return { name: '', data: Buffer.alloc(0) };
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return { name: '', data: Buffer.alloc(0) };
  }
  return findCookie(parseXAuthority(bytes), hostname, displayNumber);
}
