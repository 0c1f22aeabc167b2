import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolves a host name to its addresses (injectable, so that tests can make a name resolve anywhere). */
export type Resolve = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/**
 * Where a webhook may never point: every entry of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries that is not globally reachable, and
 * multicast. IPv6 forms that carry an IPv4 address (IPv4-mapped
 * `::ffff:0:0/96`, IPv4-translated `::ffff:0:0:0/96`, IPv4-compatible
 * `::/96`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4, Teredo) are
 * refused whole: whatever IPv4 they carry, a webhook has no need of them.
 * Within a refused block, the registry's globally reachable entries (anycast
 * services such as 192.0.0.9, 2001:1::1, AMT) are allowed.
 */
// Two lists per family: BlockList matches IPv4 addresses against IPv4-mapped and -compatible IPv6 rules, which would refuse every IPv4 address.
const FORBIDDEN_V4 = new BlockList();
const FORBIDDEN_V6 = new BlockList();
const GLOBAL_V4 = new BlockList();
const GLOBAL_V6 = new BlockList();

/** Not globally reachable (IANA IPv4 Special-Purpose Address Registry), and multicast. */
export const FORBIDDEN_V4_BLOCKS = [
  ['0.0.0.0', 8], // "This network" (0.0.0.0/32 "This host" within)
  ['10.0.0.0', 8], // Private-Use
  ['100.64.0.0', 10], // Shared Address Space
  ['127.0.0.0', 8], // Loopback
  ['169.254.0.0', 16], // Link Local (the cloud metadata address 169.254.169.254 within)
  ['172.16.0.0', 12], // Private-Use
  ['192.0.0.0', 24], // IETF Protocol Assignments (DS-Lite 192.0.0.0/29, 192.0.0.8, NAT64/DNS64 discovery 192.0.0.170-171 within)
  ['192.0.2.0', 24], // Documentation (TEST-NET-1)
  ['192.88.99.0', 24], // Deprecated 6to4 Relay Anycast
  ['192.168.0.0', 16], // Private-Use
  ['198.18.0.0', 15], // Benchmarking
  ['198.51.100.0', 24], // Documentation (TEST-NET-2)
  ['203.0.113.0', 24], // Documentation (TEST-NET-3)
  ['224.0.0.0', 4], // Multicast
  ['240.0.0.0', 4], // Reserved (255.255.255.255 Limited Broadcast within)
] as const;

/** Globally reachable entries inside a forbidden block. */
export const GLOBAL_V4_BLOCKS = [
  ['192.0.0.9', 32], // Port Control Protocol Anycast
  ['192.0.0.10', 32], // Traversal Using Relays around NAT Anycast
] as const;

/** Not globally reachable (IANA IPv6 Special-Purpose Address Registry), IPv6 forms of IPv4 addresses, and multicast. */
export const FORBIDDEN_V6_BLOCKS = [
  ['::', 128], // Unspecified Address
  ['::1', 128], // Loopback Address
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped Address
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b::', 96], // IPv4-IPv6 Translation (NAT64): it reaches whatever IPv4 it carries
  ['64:ff9b:1::', 48], // IPv4-IPv6 Translation, local use
  ['100::', 64], // Discard-Only Address Block
  ['100:0:0:1::', 64], // Dummy IPv6 Prefix
  ['2001::', 23], // IETF Protocol Assignments (Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID 2001:10::/28 within)
  ['2001:db8::', 32], // Documentation
  ['2002::', 16], // 6to4
  ['3fff::', 20], // Documentation
  ['5f00::', 16], // Segment Routing (SRv6) SIDs
  ['fc00::', 7], // Unique-Local
  ['fe80::', 10], // Link-Local Unicast
  ['fec0::', 10], // Site-Local (deprecated)
  ['ff00::', 8], // Multicast
] as const;

/**
 * Globally reachable entries inside 2001::/23. ORCHIDv2 (2001:20::/28) and the drone entity tags (2001:30::/28)
 * are identifiers, not addresses anyone serves from: they stay refused.
 */
export const GLOBAL_V6_BLOCKS = [
  ['2001:1::1', 128], // Port Control Protocol Anycast
  ['2001:1::2', 128], // Traversal Using Relays around NAT Anycast
  ['2001:1::3', 128], // DNS-SD Service Registration Protocol Anycast
  ['2001:3::', 32], // AMT
  ['2001:4:112::', 48], // AS112-v6
] as const;

for (const [net, prefix] of FORBIDDEN_V4_BLOCKS) FORBIDDEN_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of GLOBAL_V4_BLOCKS) GLOBAL_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of FORBIDDEN_V6_BLOCKS) FORBIDDEN_V6.addSubnet(net, prefix, 'ipv6');
for (const [net, prefix] of GLOBAL_V6_BLOCKS) GLOBAL_V6.addSubnet(net, prefix, 'ipv6');

export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return FORBIDDEN_V4.check(address, 'ipv4') && !GLOBAL_V4.check(address, 'ipv4');
  if (family === 6) return FORBIDDEN_V6.check(address, 'ipv6') && !GLOBAL_V6.check(address, 'ipv6');
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
      throw new UnsafeUrlError(
        `url must not point to a private, loopback, link-local or reserved address (${host === bad.address ? host : `${host} is ${bad.address}`}); ` +
          'to deliver to a receiver on your own machine or network, start Styrman with WEBHOOK_ALLOW_PRIVATE=true',
      );
  }
  return { url, address: addresses[0].address, family: addresses[0].family };
}
