import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which IP addresses a webhook may reach. A tenant chooses the URL, and our functions run inside AWS: without
 * this, `https://169.254.169.254/…` or a name resolving to 10.x would make factu call the instance metadata
 * service or a private network on the tenant's behalf (SSRF). Only public unicast addresses are allowed;
 * IPv6 forms that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by it.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

type Range = readonly [prefix: number[], bits: number, kind: Exclude<AddressClass, 'public' | 'invalid'>];

const IPV4_RANGES: readonly Range[] = [
  [[0], 8, 'unspecified'],
  [[10], 8, 'private'],
  [[100, 64], 10, 'private'], // carrier-grade NAT
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'], // includes the metadata service 169.254.169.254
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 0, 2], 24, 'reserved'],
  [[192, 88, 99], 24, 'reserved'],
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'],
  [[198, 51, 100], 24, 'reserved'],
  [[203, 0, 113], 24, 'reserved'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'], // includes 255.255.255.255
];

const IPV6_RANGES: readonly Range[] = [
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'], // deprecated site-local
  [[0xfc], 7, 'private'], // unique-local, includes the EC2 metadata address fd00:ec2::254
  [[0xff], 8, 'multicast'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard-only
  [[0x20, 0x01, 0, 0], 32, 'reserved'], // Teredo: the embedded address is obfuscated, refuse outright
];

function inRange(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyIpv4(bytes: number[]): AddressClass {
  for (const [prefix, bits, kind] of IPV4_RANGES) if (inRange(bytes, prefix, bits)) return kind;
  return 'public';
}

/** The 16 bytes of an IPv6 address (zone id dropped), or undefined when it does not parse. */
export function ipv6Bytes(address: string): number[] | undefined {
  const text = address.split('%')[0]!.toLowerCase();
  if (!isIPv6(text)) return undefined;
  let head = text;
  let tail4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const words = [...l, ...new Array(8 - l.length - r.length).fill(0), ...r];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail4.length === 4) bytes.splice(12, 4, ...tail4);
  return bytes.length === 16 ? bytes : undefined;
}

function classifyIpv6(bytes: number[]): AddressClass {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zero(0, 16)) return 'unspecified';
  if (zero(0, 15) && bytes[15] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): the kernel connects to the IPv4 address.
  if (zero(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || zero(10, 12))) {
    return classifyIpv4(bytes.slice(12));
  }
  // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) translates to the embedded IPv4 address.
  if (inRange(bytes, [0, 0x64, 0xff, 0x9b], 32)) {
    return inRange(bytes, [0, 0x64, 0xff, 0x9b, 0, 1], 48) ? 'private' : classifyIpv4(bytes.slice(12));
  }
  // 6to4 (2002::/16) tunnels to the IPv4 address in bytes 2..5.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIpv4(bytes.slice(2, 6));
  for (const [prefix, bits, kind] of IPV6_RANGES) if (inRange(bytes, prefix, bits)) return kind;
  return 'public';
}

export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) return classifyIpv4(address.split('.').map(Number));
  const bytes = ipv6Bytes(address);
  return bytes ? classifyIpv6(bytes) : 'invalid';
}

/** Whether a delivery may connect to `address`; loopback only where the local cloud allows it. */
export function isAllowedAddress(address: string, options: { allowLoopback: boolean }): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'loopback' && options.allowLoopback);
}
