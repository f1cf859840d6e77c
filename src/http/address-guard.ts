// Which addresses a fetch may connect to: loopback, private, link-local and the other internal
// ranges are refused, checked on the address the socket is about to connect to (an IP literal, or
// every address a host name resolves to), so a redirect or a DNS answer that changes between two
// looks (DNS rebinding) cannot reach the inside.
import { lookup as systemLookup } from 'node:dns';
import { BlockList, isIP, isIPv6, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { PactwatchError } from '../errors.js';

/** Why an address is internal, as it reads before the word "address": "private", "loopback", … */
export type InternalKind = string;

// IANA's special-purpose registries (RFC 6890 and successors), by the word a message uses.
const RANGES: [InternalKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['carrier-grade NAT', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '192.88.99.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['benchmarking', '198.18.0.0', 15, 'ipv4'],
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'], // 255.255.255.255 (broadcast) included
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '64:ff9b:1::', 48, 'ipv6'], // NAT64 for local use
  ['reserved', '100::', 64, 'ipv6'], // discard-only
  ['documentation', '2001:db8::', 32, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['site-local', 'fec0::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const LISTS = new Map<InternalKind, BlockList>();
for (const [kind, network, prefix, family] of RANGES) {
  const list = LISTS.get(kind) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  LISTS.set(kind, list);
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad allowed). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = part(head);
  const back = part(tail);
  return tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const dotted = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/**
 * The IPv4 address an IPv6 address carries and is routed by: IPv4-compatible (::a.b.c.d), NAT64
 * (64:ff9b::/96) and 6to4 (2002::/16). IPv4-mapped addresses BlockList already checks as IPv4.
 */
function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g.length !== 8) return undefined;
  if (g.slice(0, 6).every((x) => x === 0) && (g[6] !== 0 || g[7]! > 1)) return dotted(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return dotted(g[6]!, g[7]!);
  if (g[0] === 0x2002) return dotted(g[1]!, g[2]!);
  return undefined;
}

/** Why `address` (an IP address) is internal, or undefined when it is public. Anything unreadable counts as internal. */
export function internalKind(address: string): InternalKind | undefined {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 0) return 'unrecognised';
  const type = family === 6 ? 'ipv6' : 'ipv4';
  for (const [kind, list] of LISTS) if (list.check(ip, type)) return kind;
  const inner = isIPv6(ip) ? embeddedIPv4(ip) : undefined;
  return inner === undefined ? undefined : internalKind(inner);
}

/** A connection refused because the address is internal. */
export class AddressRefused extends PactwatchError {
  override name = 'AddressRefused';
  constructor(
    readonly address: string,
    readonly kind: InternalKind,
    /** The host name that resolved to it; undefined for an IP literal. */
    readonly host: string | undefined,
  ) {
    super('PW_ADDRESS_REFUSED', `${address} is internal (${kind} address)${host ? `; ${host} resolves to it` : ''}`);
  }
}

export interface AddressGuard {
  /** How host names resolve (default: the system resolver, as net.connect uses it). */
  lookup?: LookupFunction | undefined;
  /** Which addresses count as internal (default: internalKind; tests stand a loopback address in for a public one). */
  internalKind?: ((address: string) => InternalKind | undefined) | undefined;
}

/**
 * An undici connector that refuses internal addresses: an IP literal is checked before any
 * socket exists; a name is resolved through a lookup that checks every address it returns, and
 * the socket connects to an address so checked.
 */
export function guardedConnector(options: buildConnector.BuildOptions, guard: AddressGuard = {}): buildConnector.connector {
  const kindOf = guard.internalKind ?? internalKind;
  const resolve = guard.lookup ?? (systemLookup as LookupFunction);
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname, lookupOptions, (err, address, family) => {
      if (err) return callback(err, address, family);
      const addresses = typeof address === 'string' ? [address] : address.map((a) => a.address);
      for (const a of addresses) {
        const kind = kindOf(a);
        if (kind) return callback(new AddressRefused(a, kind, hostname), address, family);
      }
      callback(null, address, family);
    });
  };
  const connect = buildConnector({ ...options, lookup } as buildConnector.BuildOptions);
  return (target, callback) => {
    // undici hands IPv6 literals over without their brackets.
    if (isIP(target.hostname)) {
      const kind = kindOf(target.hostname);
      if (kind) return callback(new AddressRefused(target.hostname, kind, undefined), null);
    }
    connect(target, callback);
  };
}
