import { createHash } from 'node:crypto';
import { generateSecret, hashSecret, prefixOf, secretDigest } from './api-key-secret.js';

describe('API key secrets', () => {
  it('are long, random and recognisable by their prefix', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^sty_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toEqual(b);
    expect(prefixOf(a)).toHaveLength(12);
    expect(a.startsWith(prefixOf(a))).toBe(true);
  });

  it('are stored as a SHA-256 digest that does not contain the secret', () => {
    const secret = generateSecret();
    const hash = hashSecret(secret);
    expect(hash).toHaveLength(32);
    expect(hash.equals(hashSecret(secret))).toBe(true);
    expect(hash.toString('utf8')).not.toContain(secret);
  });

  it('are looked up by the SHA-256 of what was presented, the digest the database holds', () => {
    for (const secret of [generateSecret(), 'sty_ä€😀', '']) {
      const expected = createHash('sha256').update(secret, 'utf8').digest();
      expect(hashSecret(secret).equals(expected)).toBe(true);
      expect(secretDigest(secret)).toBe(expected.toString('base64'));
    }
  });
});
