import { checkTarget, isForbiddenAddress, UnsafeUrlError } from './address-guard.js';

/**
 * One address in every entry of the IANA IPv4 and IPv6 Special-Purpose Address Registries
 * (iana-ipv4-special-registry, iana-ipv6-special-registry), with whether it is globally reachable there.
 */
const REGISTRY: [entry: string, address: string, refused: boolean][] = [
  // IPv4
  ['0.0.0.0/8 "This network"', '0.1.2.3', true],
  ['0.0.0.0/32 "This host on this network"', '0.0.0.0', true],
  ['10.0.0.0/8 Private-Use', '10.0.0.1', true],
  ['100.64.0.0/10 Shared Address Space', '100.64.0.1', true],
  ['127.0.0.0/8 Loopback', '127.0.0.1', true],
  ['169.254.0.0/16 Link Local', '169.254.169.254', true],
  ['172.16.0.0/12 Private-Use', '172.16.5.4', true],
  ['192.0.0.0/24 IETF Protocol Assignments', '192.0.0.100', true],
  ['192.0.0.0/29 IPv4 Service Continuity Prefix', '192.0.0.1', true],
  ['192.0.0.8/32 IPv4 dummy address', '192.0.0.8', true],
  ['192.0.0.9/32 Port Control Protocol Anycast', '192.0.0.9', false],
  ['192.0.0.10/32 Traversal Using Relays around NAT Anycast', '192.0.0.10', false],
  ['192.0.0.170/32 NAT64/DNS64 Discovery', '192.0.0.170', true],
  ['192.0.0.171/32 NAT64/DNS64 Discovery', '192.0.0.171', true],
  ['192.0.2.0/24 Documentation (TEST-NET-1)', '192.0.2.1', true],
  ['192.31.196.0/24 AS112-v4', '192.31.196.1', false],
  ['192.52.193.0/24 AMT', '192.52.193.1', false],
  ['192.88.99.0/24 Deprecated (6to4 Relay Anycast)', '192.88.99.1', true],
  ['192.168.0.0/16 Private-Use', '192.168.0.1', true],
  ['192.175.48.0/24 Direct Delegation AS112 Service', '192.175.48.1', false],
  ['198.18.0.0/15 Benchmarking', '198.19.0.1', true],
  ['198.51.100.0/24 Documentation (TEST-NET-2)', '198.51.100.1', true],
  ['203.0.113.0/24 Documentation (TEST-NET-3)', '203.0.113.1', true],
  ['240.0.0.0/4 Reserved', '240.0.0.1', true],
  ['255.255.255.255/32 Limited Broadcast', '255.255.255.255', true],
  // IPv6
  ['::1/128 Loopback Address', '::1', true],
  ['::/128 Unspecified Address', '::', true],
  ['::ffff:0:0/96 IPv4-mapped Address (a public IPv4)', '::ffff:8.8.8.8', true],
  ['::ffff:0:0/96 IPv4-mapped Address (loopback)', '::ffff:127.0.0.1', true],
  ['64:ff9b::/96 IPv4-IPv6 Translat.', '64:ff9b::a00:1', true],
  ['64:ff9b:1::/48 IPv4-IPv6 Translat.', '64:ff9b:1::a00:1', true],
  ['100::/64 Discard-Only Address Block', '100::1', true],
  ['100:0:0:1::/64 Dummy IPv6 Prefix', '100:0:0:1::1', true],
  ['2001::/23 IETF Protocol Assignments', '2001:100::1', true],
  ['2001::/32 TEREDO', '2001::1', true],
  ['2001:1::1/128 Port Control Protocol Anycast', '2001:1::1', false],
  ['2001:1::2/128 Traversal Using Relays around NAT Anycast', '2001:1::2', false],
  ['2001:1::3/128 DNS-SD Service Registration Protocol Anycast', '2001:1::3', false],
  ['2001:2::/48 Benchmarking', '2001:2::1', true],
  ['2001:3::/32 AMT', '2001:3::1', false],
  ['2001:4:112::/48 AS112-v6', '2001:4:112::1', false],
  ['2001:10::/28 Deprecated (previously ORCHID)', '2001:10::1', true],
  ['2001:20::/28 ORCHIDv2 (identifiers, refused)', '2001:20::1', true],
  ['2001:30::/28 Drone Remote ID Protocol Entity Tags (identifiers, refused)', '2001:30::1', true],
  ['2001:db8::/32 Documentation', '2001:db8::1', true],
  ['2002::/16 6to4', '2002:a00:1::1', true],
  ['2620:4f:8000::/48 Direct Delegation AS112 Service', '2620:4f:8000::1', false],
  ['3fff::/20 Documentation', '3fff::1', true],
  ['5f00::/16 Segment Routing (SRv6) SIDs', '5f00::1', true],
  ['fc00::/7 Unique-Local', 'fd00:ec2::254', true],
  ['fe80::/10 Link-Local Unicast', 'fe80::1', true],
];

describe('webhook addresses', () => {
  it.each(REGISTRY)('%s: %s refused: %s', (_entry, address, refused) => {
    expect(isForbiddenAddress(address)).toBe(refused);
  });

  it.each([
    '::ffff:0:7f00:1', // IPv4-translated 127.0.0.1
    '::ffff:0:a00:1', // IPv4-translated 10.0.0.1
    '::7f00:1', // IPv4-compatible 127.0.0.1
    'fec0::1', // site-local
    'ff02::1', // multicast
    '224.0.0.1', // multicast
    'fc00::1',
  ])('refuses %s (an IPv6 form of an IPv4 address, or not unicast)', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e'])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('refuses https://[::ffff:0:7f00:1]/ and https://[2001:10::1]/ as webhook URLs', async () => {
    const resolve = () => Promise.resolve([]);
    for (const url of ['https://[::ffff:0:7f00:1]/', 'https://[2001:10::1]/', 'https://[2001:20::1]/', 'https://[64:ff9b:1::a00:1]/']) {
      await expect(checkTarget(url, { allowPrivate: false, resolve })).rejects.toThrow(UnsafeUrlError);
    }
  });

  it('checks every address a name resolves to, and pins the first', async () => {
    const resolve = (addresses: string[]) => () => Promise.resolve(addresses.map((address) => ({ address, family: 4 as const })));
    await expect(checkTarget('https://a.example/', { allowPrivate: false, resolve: resolve(['8.8.8.8', '10.0.0.1']) })).rejects.toThrow(
      UnsafeUrlError,
    );
    await expect(checkTarget('https://a.example/', { allowPrivate: false, resolve: resolve(['8.8.8.8']) })).resolves.toMatchObject({
      address: '8.8.8.8',
    });
    await expect(checkTarget('http://a.example/', { allowPrivate: false, resolve: resolve(['8.8.8.8']) })).rejects.toThrow('https://');
    await expect(checkTarget('http://127.0.0.1:9/', { allowPrivate: true, resolve: resolve([]) })).resolves.toMatchObject({
      address: '127.0.0.1',
    });
  });
});
