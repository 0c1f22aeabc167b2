import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, UndecryptableSecretError } from './secret-box.js';
import { keptKey } from './secret-key-file.js';

/** A secret in the first format (no key id), as sealed before key ids. */
function unnamed(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
}

describe('SecretBox', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('seals with the current key, naming it; opens with the current or the previous key', () => {
    const old = new SecretBox(k1);
    const sealed = old.seal('whsec_a');
    expect(sealed.subarray(0, 9)).toEqual(old.currentPrefix);
    const rotating = new SecretBox(k2, k1);
    expect(rotating.open(sealed)).toBe('whsec_a');
    expect(rotating.open(rotating.seal('whsec_b'))).toBe('whsec_b');
    expect(rotating.currentPrefix).not.toEqual(old.currentPrefix);
  });

  it('refuses a secret of a key it does not have, saying which settings it tried', () => {
    const sealed = new SecretBox(k1).seal('whsec_a');
    expect(() => new SecretBox(k2).open(sealed)).toThrow(UndecryptableSecretError);
    expect(() => new SecretBox(k2).open(sealed)).toThrow(/neither WEBHOOK_SECRET_KEY .* nor WEBHOOK_SECRET_KEY_PREVIOUS/);
    const damaged = Buffer.from(sealed);
    damaged[damaged.length - 1] ^= 1;
    expect(() => new SecretBox(k1).open(damaged)).toThrow(/damaged/);
  });

  it('opens secrets stored without a key id with any key it has, the old development key last', () => {
    const legacy = SecretBox.legacyDevelopmentKey('postgres://u@db:5432/styrman');
    expect(new SecretBox(k2, k1).open(unnamed(k1, 'whsec_old'))).toBe('whsec_old');
    expect(new SecretBox(k2, undefined, [legacy]).open(unnamed(legacy, 'whsec_dev'))).toBe('whsec_dev');
    expect(() => new SecretBox(k2).open(unnamed(k1, 'whsec_old'))).toThrow(UndecryptableSecretError);
  });
});

describe('keptKey', () => {
  it('makes a key of 64 hex digits with mode 600 once, and reads the same one after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'styrman-kept-key-'));
    try {
      const file = join(dir, 'data', 'webhook-secret-key');
      const [a, b] = await Promise.all([keptKey(file), keptKey(file)]);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(b).toBe(a);
      expect(await keptKey(file)).toBe(a);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toBe(a);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
