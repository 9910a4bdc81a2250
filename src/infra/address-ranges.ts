// Which IP addresses outbound requests may not reach (src/infra/safe-fetch.ts): private, loopback, link-local,
// shared, multicast, reserved, documentation and benchmarking ranges — and every IPv6 form that carries an IPv4
// address inside it, decoded and judged by the IPv4 list (an attacker writes 127.0.0.1 as ::ffff:7f00:1,
// 64:ff9b::7f00:1, 2002:7f00:1:: or a Teredo address as easily as in dotted form).
import net from 'node:net';

interface Range {
  bytes: number[];
  bits: number;
}

const v4 = (address: string, bits: number): Range => ({ bytes: ipv4Bytes(address)!, bits });
const v6 = (address: string, bits: number): Range => ({ bytes: ipv6Bytes(address)!, bits });

/** Documentation ranges are not routable on the internet: a host resolving into one is misconfigured or hostile. */
export const BLOCKED_IPV4: readonly Range[] = [
  v4('0.0.0.0', 8), // "this network"; 0.0.0.0 reaches the local host on Linux
  v4('10.0.0.0', 8),
  v4('100.64.0.0', 10), // carrier-grade NAT
  v4('127.0.0.0', 8),
  v4('169.254.0.0', 16), // link-local, cloud metadata services
  v4('172.16.0.0', 12),
  v4('192.0.0.0', 24), // IETF protocol assignments
  v4('192.0.2.0', 24), // documentation (TEST-NET-1)
  v4('192.88.99.0', 24), // 6to4 relay anycast (deprecated)
  v4('192.168.0.0', 16),
  v4('198.18.0.0', 15), // benchmarking
  v4('198.51.100.0', 24), // documentation (TEST-NET-2)
  v4('203.0.113.0', 24), // documentation (TEST-NET-3)
  v4('224.0.0.0', 4), // multicast
  v4('240.0.0.0', 4), // reserved, broadcast
];

export const BLOCKED_IPV6: readonly Range[] = [
  // ::/96 covers :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible addresses (::a.b.c.d), which
  // no legitimate destination uses and which a host with an automatic tunnel would send to any IPv4 address.
  v6('::', 96),
  v6('64:ff9b:1::', 48), // local-use NAT64 (RFC 8215): translation inside the operator's own network, never public
  v6('100::', 64), // discard
  v6('2001:2::', 48), // benchmarking
  v6('2001:db8::', 32), // documentation
  v6('3fff::', 20), // documentation (RFC 9637)
  v6('fc00::', 7), // unique local
  v6('fe80::', 10), // link-local
  v6('fec0::', 10), // site-local (deprecated, still routed by some stacks)
  v6('ff00::', 8), // multicast
];

function ipv4Bytes(address: string): number[] | undefined {
  if (!net.isIPv4(address)) return undefined;
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address (any textual form: `::`, a dotted IPv4 tail, a zone id), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
  const text = address.replace(/%.*$/, '');
  if (!net.isIPv6(text)) return undefined;
  let groups = text;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
  if (tail) {
    const [a, b, c, d] = ipv4Bytes(tail[1]!)!;
    groups = `${groups.slice(0, tail.index)}${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, rest] = groups.split('::') as [string, string | undefined];
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const all =
    rest === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  if (all.length !== 8) return undefined;
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function inRange(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.bits; bit += 8) {
    const take = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (range.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

const blockedIPv4 = (bytes: number[]) => BLOCKED_IPV4.some((range) => inRange(bytes, range));
const MAPPED = v6('::ffff:0:0', 96); // IPv4-mapped
const TRANSLATED = v6('::ffff:0:0:0', 96); // IPv4-translated (SIIT)
const NAT64 = v6('64:ff9b::', 96); // well-known NAT64 prefix: always /96
const SIX_TO_FOUR = v6('2002::', 16);
const TEREDO = v6('2001::', 32);

/** The IPv4 addresses an IPv6 address carries, as a translator, tunnel or dual stack would reach them. */
function embeddedIPv4(bytes: number[]): number[][] {
  if (inRange(bytes, MAPPED) || inRange(bytes, TRANSLATED) || inRange(bytes, NAT64)) return [bytes.slice(12, 16)];
  if (inRange(bytes, SIX_TO_FOUR)) return [bytes.slice(2, 6)];
  // Teredo: the server's address in bits 32–63, the client's in the last 32 bits, inverted.
  if (inRange(bytes, TEREDO)) return [bytes.slice(4, 8), bytes.slice(12, 16).map((b) => b ^ 0xff)];
  return [];
}

/**
 * True for addresses outbound requests must not reach, and for anything that is not an IP address. Accepts
 * IPv4 dotted quads and every IPv6 text form, with or without brackets or a zone id.
 */
export function isPrivateAddress(address: string): boolean {
  const text = address.replace(/^\[|\]$/g, '');
  const four = ipv4Bytes(text);
  if (four) return blockedIPv4(four);
  const six = ipv6Bytes(text);
  if (!six) return true;
  if (BLOCKED_IPV6.some((range) => inRange(six, range))) return true;
  return embeddedIPv4(six).some(blockedIPv4);
}
