import { inNetwork, parseCidr, parseIp, unmapIpv4, type IpAddress, type IpNetwork } from './ip.ts';

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
 * The client's address for access decisions. The TCP peer is the client
 * unless it is one of the configured proxies; then `X-Forwarded-For` is read
 * from the right, skipping trusted proxies, and the first other entry is the
 * client (the left part is whatever the client chose to send). Any
 * unparseable entry on that path yields `undefined`, which callers deny.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trustedProxies: AllowList): IpAddress | undefined {
  let current: IpAddress;
  try {
    current = unmapIpv4(parseIp(peer));
  } catch {
    return undefined;
  }
  if (!trustedProxies.allows(current) || forwardedFor === undefined) return current;
  const hops = forwardedFor.split(',').map((h) => h.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    let hop: IpAddress;
    try {
      hop = unmapIpv4(parseIp(hops[i]!));
    } catch {
      return undefined;
    }
    if (!trustedProxies.allows(hop)) return hop;
    current = hop;
  }
  return current;
}
