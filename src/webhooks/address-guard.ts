import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolves a host name to its addresses (injectable, so that tests can make a name resolve anywhere). */
export type Resolve = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Where a webhook may never point: the unspecified, loopback, private,
 * carrier-grade NAT, link-local (with the cloud metadata address
 * 169.254.169.254), benchmarking, multicast and reserved ranges, IPv6
 * unique-local (fd00:ec2::254 among them), link-local and multicast, and every
 * IPv4-mapped, -compatible or translated IPv6 address (checked as IPv4).
 */
// Two lists: BlockList matches IPv4 addresses against IPv4-mapped and -compatible IPv6 rules, which would refuse every IPv4 address.
const FORBIDDEN_V4 = new BlockList();
const FORBIDDEN_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN_V4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96], // IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32], // Teredo
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN_V6.addSubnet(net, prefix, 'ipv6');
}

export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN_V4.check(address, 'ipv4');
  if (family === 6) return FORBIDDEN_V6.check(address, 'ipv6');
  return true;
}

/** Why a URL may not receive webhooks; thrown with a message for the `url` field. */
export class UnsafeUrlError extends Error {}

/** A URL checked for delivery: the address to connect to, pinned, so a second DNS answer cannot change it. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/**
 * Checks a webhook URL and resolves it: `https://` only (and `http://` when
 * private addresses are allowed), no credentials in it, and every address
 * its host resolves to outside the forbidden ranges. Returns the address to
 * connect to, so the connection goes exactly where the check looked.
 */
export async function checkTarget(
  raw: string,
  options: { allowPrivate: boolean; resolve: Resolve; /** About to connect: always resolve. */ connect?: boolean },
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('url must be an absolute https:// URL');
  }
  if (url.protocol !== 'https:' && !(options.allowPrivate && url.protocol === 'http:')) {
    throw new UnsafeUrlError('url must use https://');
  }
  if (url.username || url.password) throw new UnsafeUrlError('url must not carry a user name or password');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // With private addresses allowed there is nothing to check, and a URL is only resolved to connect to it.
  if (options.allowPrivate && !options.connect) return { url, address: host, family: isIP(host) === 6 ? 6 : 4 };
  let addresses: { address: string; family: 4 | 6 }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await options.resolve(host);
    } catch {
      throw new UnsafeUrlError(`url's host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`url's host ${host} does not resolve`);
  if (!options.allowPrivate) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad)
      throw new UnsafeUrlError(`url must not point to a private, loopback, link-local or reserved address (${host} is ${bad.address})`);
  }
  return { url, address: addresses[0].address, family: addresses[0].family };
}
