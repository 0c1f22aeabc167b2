import { createPublicKey, verify } from 'node:crypto';
import { SigningKeyPair, thumbprint } from './signing-key.js';
import { sha256Hex, statementText } from './statement.js';

// RFC 8037, appendix A: the Ed25519 key of A.1, its thumbprint (A.3) and a signature (A.4).
const RFC_SEED = Buffer.from('nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', 'base64url');
const RFC_X = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const RFC_THUMBPRINT = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k';
const RFC_PAYLOAD = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc';
const RFC_SIGNATURE = 'hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

describe('signing keys', () => {
  it('reads SIGNING_KEY as a 32-byte Ed25519 seed, hex or base64, and names the key by its RFC 7638 thumbprint', () => {
    const fromHex = SigningKeyPair.fromSetting(RFC_SEED.toString('hex'));
    const fromBase64 = SigningKeyPair.fromSetting(RFC_SEED.toString('base64'));
    expect(fromHex.x).toBe(RFC_X);
    expect(fromHex.id).toBe(RFC_THUMBPRINT);
    expect(thumbprint(RFC_X)).toBe(RFC_THUMBPRINT);
    expect(fromBase64.id).toBe(fromHex.id);
    expect(Buffer.from(fromHex.sign(RFC_PAYLOAD), 'base64').toString('base64url')).toBe(RFC_SIGNATURE);
  });

  it('signs a statement that its public key verifies, and no other text', () => {
    const key = SigningKeyPair.random();
    const text = statementText(
      {
        submissionId: 's',
        clusterId: 'c',
        funderId: 'f',
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-03-31T23:59:59.999Z'),
        sha256: 'ab'.repeat(32),
        submittedAt: new Date('2026-04-02T08:00:00Z'),
      },
      null,
    );
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
    const signature = Buffer.from(key.sign(text), 'base64');
    expect(verify(null, Buffer.from(text), publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from(text.replace('"s"', '"t"')), publicKey, signature)).toBe(false);
    expect(sha256Hex(text)).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'submissionId',
      'clusterId',
      'funderId',
      'from',
      'to',
      'sha256',
      'submittedAt',
      'previous',
    ]);
  });
});
