import { checkTarget, isForbiddenAddress, UnsafeUrlError } from './address-guard.js';

describe('webhook addresses', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:8.8.8.8',
    '64:ff9b::a00:1',
    'ff02::1',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e'])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
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
