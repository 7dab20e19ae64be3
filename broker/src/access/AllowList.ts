import { parseIp, unmapIpv4, type AllowList, type IpAddress } from '@wardlink/protocol';

/**
 * The client's address for access decisions. The TCP peer is the client
 * unless it is one of the configured proxies; then `X-Forwarded-For` is read
 * from the right, skipping trusted proxies, and the first other entry is the
 * client (the left part is whatever the client chose to send). Any
 * unparseable entry on that path yields `undefined`, which callers deny.
 * The peer comes from the kernel, so its zone id (`fe80::1%eth0`) is dropped;
 * header entries must be bare addresses (no zone, port or brackets). The
 * RFC 7239 `Forwarded` header is never read: configure proxies to send
 * `X-Forwarded-For`. Several `X-Forwarded-For` header lines count as one list.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: AllowList,
): IpAddress | undefined {
  let current: IpAddress;
  try {
    current = unmapIpv4(parseIp(stripZone(peer ?? '')));
  } catch {
    return undefined;
  }
  if (!trustedProxies.allows(current) || forwardedFor === undefined) return current;
  const header = typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',');
  const hops = header.split(',').map((h) => h.trim());
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

/** Drops the zone id of a link-local IPv6 peer address reported by the operating system. */
function stripZone(peer: string): string {
  const percent = peer.indexOf('%');
  return percent > 0 && peer.includes(':') ? peer.slice(0, percent) : peer;
}
