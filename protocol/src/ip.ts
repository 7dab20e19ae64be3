/**
 * Strict, canonical IP address and CIDR parsing for allow-lists. Only the
 * unambiguous textual forms are accepted: dotted-quad IPv4 without leading
 * zeros, hex, octal or shorthand (`127.1`, `0x7f.0.0.1`, `0177.0.0.1` are
 * refused), and RFC 4291 IPv6 without zone ids. IPv4-mapped IPv6
 * (`::ffff:a.b.c.d`, as Node reports IPv4 peers on a dual-stack socket) is
 * matched as the IPv4 address it carries, so one rule covers both spellings.
 */

/** A parsed address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export interface IpAddress {
  version: 4 | 6;
  bytes: Uint8Array;
}

/** A parsed network: address with host bits zero, and prefix length in bits. */
export interface IpNetwork extends IpAddress {
  prefix: number;
}

/** Raised for any address or network that is not in canonical, unambiguous form. */
export class IpParseError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`"${input.slice(0, 64)}" is not a valid address: ${reason}`);
    this.name = 'IpParseError';
  }
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** Parses an IPv4 or IPv6 address; throws {@link IpParseError}. */
export function parseIp(text: string): IpAddress {
  if (text.length > 45) throw new IpParseError(text, 'too long');
  if (IPV4.test(text)) return { version: 4, bytes: Uint8Array.from(text.split('.').map(Number)) };
  if (text.includes(':')) return { version: 6, bytes: parseIpv6(text) };
  throw new IpParseError(text, 'expected a dotted-quad IPv4 or an IPv6 address');
}

function parseIpv6(text: string): Uint8Array {
  if (text.includes('%')) throw new IpParseError(text, 'zone ids are not allowed');
  const halves = text.split('::');
  if (halves.length > 2) throw new IpParseError(text, 'more than one "::"');
  const parseGroups = (part: string, allowIpv4Tail: boolean): number[] => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    groups.forEach((group, i) => {
      if (allowIpv4Tail && i === groups.length - 1 && group.includes('.')) {
        if (!IPV4.test(group)) throw new IpParseError(text, 'bad embedded IPv4');
        const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (HEXTET.test(group)) {
        out.push(parseInt(group, 16));
      } else {
        throw new IpParseError(text, `bad group "${group.slice(0, 8)}"`);
      }
    });
    return out;
  };
  const head = parseGroups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1]!, true) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) throw new IpParseError(text, 'wrong number of groups');
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

/** Unwraps IPv4-mapped IPv6 (`::ffff:0:0/96`) to IPv4; other addresses are returned as they are. */
export function unmapIpv4(address: IpAddress): IpAddress {
  if (address.version !== 6) return address;
  const b = address.bytes;
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? { version: 4, bytes: b.slice(12) } : address;
}

/** Parses `address/prefix`; host bits must be zero. A bare address means a single host. */
export function parseCidr(text: string): IpNetwork {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  const max = address.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > max) throw new IpParseError(text, `prefix must be 0-${max}`);
    prefix = Number(p);
  }
  const network = { ...unmapIpv4(address), prefix: address.version === 6 && unmapIpv4(address).version === 4 ? prefix - 96 : prefix };
  if (network.prefix < 0) throw new IpParseError(text, 'an IPv4-mapped network needs a prefix of at least 96');
  if (!hostBitsZero(network)) throw new IpParseError(text, 'host bits are set');
  return network;
}

function hostBitsZero(network: IpNetwork): boolean {
  for (let bit = network.prefix; bit < network.bytes.length * 8; bit++) {
    if ((network.bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) return false;
  }
  return true;
}

function sameNetwork(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    if (((a[bit >> 3]! ^ b[bit >> 3]!) >> (7 - (bit & 7))) & 1) return false;
  }
  return true;
}

/** Whether `address` lies in `network` (IPv4-mapped addresses match IPv4 networks). */
export function inNetwork(address: IpAddress, network: IpNetwork): boolean {
  const a = unmapIpv4(address);
  return a.version === network.version && sameNetwork(a.bytes, network.bytes, network.prefix);
}

/** Canonical text of an address (RFC 5952 for IPv6: lower case, longest zero run compressed). */
export function formatIp(address: IpAddress): string {
  const a = unmapIpv4(address);
  if (a.version === 4) return Array.from(a.bytes).join('.');
  const words = Array.from({ length: 8 }, (_, i) => (a.bytes[2 * i]! << 8) | a.bytes[2 * i + 1]!);
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`;
}

/**
 * A CIDR allow-list. An empty list denies everything: access must be granted
 * explicitly. Entries are parsed strictly when the list is built, so a typo
 * fails loudly at configuration time instead of silently allowing or denying.
 */
export class AllowList {
  private readonly networks: IpNetwork[];

  constructor(entries: readonly string[]) {
    this.networks = entries.map((e) => parseCidr(e.trim()));
  }

  /** Whether the address (text as received, or parsed) is allowed. Unparseable text is denied. */
  allows(address: string | IpAddress): boolean {
    let parsed: IpAddress;
    try {
      parsed = typeof address === 'string' ? parseIp(address) : address;
    } catch {
      return false;
    }
    return this.networks.some((n) => inNetwork(parsed, n));
  }
}

/**
 * Whether `address` (as text) lies in one of `cidrs`: a small pure helper for
 * other parts (the host agent checking a peer on a direct path). Strict parsing:
 * a non-canonical address or an empty list denies; a bad CIDR throws.
 */
export function isAddressAllowed(address: string, cidrs: readonly string[]): boolean {
  return new AllowList(cidrs).allows(address);
}

/**
 * The networks a hospital's own machines use when nothing narrower is configured: loopback,
 * RFC 1918, link-local and IPv6 unique-local. Public addresses are never in a default.
 */
export const LOCAL_NETWORKS: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];
