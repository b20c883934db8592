import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a webhook may not reach, and why: the pure classification the URL check at
 * creation and the connection guard at delivery share. A receiver must be a public unicast address;
 * everything that reaches the engine's own host or network (loopback, private, link-local including
 * the cloud metadata address 169.254.169.254, CGNAT, unspecified, multicast, reserved, and those
 * same ranges written as IPv4-mapped, IPv4-compatible or NAT64 IPv6) is refused unless the host is
 * in the allow-list.
 */

/** IPv4 ranges refused: [first octets as a 32-bit number, prefix length, reason]. */
const blockedIpv4: readonly (readonly [number, number, string])[] = [
  [ipv4Number('0.0.0.0'), 8, 'unspecified ("this network") address'],
  [ipv4Number('10.0.0.0'), 8, 'private address (10.0.0.0/8)'],
  [ipv4Number('100.64.0.0'), 10, 'carrier-grade NAT address (100.64.0.0/10)'],
  [ipv4Number('127.0.0.0'), 8, 'loopback address'],
  [ipv4Number('169.254.0.0'), 16, 'link-local address (169.254.0.0/16, cloud metadata)'],
  [ipv4Number('172.16.0.0'), 12, 'private address (172.16.0.0/12)'],
  [ipv4Number('192.0.0.0'), 24, 'IETF protocol assignment address (192.0.0.0/24)'],
  [ipv4Number('192.0.2.0'), 24, 'documentation address (192.0.2.0/24)'],
  [ipv4Number('192.168.0.0'), 16, 'private address (192.168.0.0/16)'],
  [ipv4Number('198.18.0.0'), 15, 'benchmarking address (198.18.0.0/15)'],
  [ipv4Number('198.51.100.0'), 24, 'documentation address (198.51.100.0/24)'],
  [ipv4Number('203.0.113.0'), 24, 'documentation address (203.0.113.0/24)'],
  [ipv4Number('224.0.0.0'), 4, 'multicast address'],
  [ipv4Number('240.0.0.0'), 4, 'reserved or broadcast address'],
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function ipv4Reason(address: string): string | null {
  const n = ipv4Number(address);
  for (const [base, prefix, reason] of blockedIpv4) {
    const size = 2 ** (32 - prefix);
    if (n >= base && n < base + size) return reason;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad becomes two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1]) {
    const n = ipv4Number(quad[1]);
    text = `${text.slice(0, -quad[1].length)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string): number[] => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const first = parse(head);
  if (tail === undefined) return first;
  const last = parse(tail);
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}

function embeddedIpv4(groups: readonly number[]): string {
  const hi = groups[6] ?? 0;
  const lo = groups[7] ?? 0;
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

function ipv6Reason(address: string): string | null {
  const g = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified address (::)';
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback address (::1)';
  if (zeroPrefix && g5 === 0xffff) {
    const reason = ipv4Reason(embeddedIpv4(g));
    return reason ? `IPv4-mapped ${reason}` : null;
  }
  if (zeroPrefix && g5 === 0) return 'IPv4-compatible address (deprecated)';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    const reason = ipv4Reason(embeddedIpv4(g));
    return reason ? `NAT64 ${reason}` : null;
  }
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local address (fe80::/10)';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local address (fec0::/10)';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique local (private) address (fc00::/7)';
  if ((g0 & 0xff00) === 0xff00) return 'multicast address (ff00::/8)';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation address (2001:db8::/32)';
  return null;
}

/**
 * Why `address` (an IPv4 or IPv6 literal) may not be a webhook receiver, or `null` when it is a
 * public unicast address. Text that is not an IP address is refused as such.
 */
export function blockedAddressReason(address: string): string | null {
  if (isIPv4(address)) return ipv4Reason(address);
  if (isIPv6(address)) return ipv6Reason(address);
  return 'not an IP address';
}

/** A URL's host as the allow-list names it: lower case, IPv6 brackets removed. */
export function hostKey(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}
