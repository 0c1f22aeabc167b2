import { DomainError } from './domain-error.js';
import { charsetOf, checkJsonDocument, MAX_JSON_DEPTH, parseJsonBody } from './json-body.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.errors?.[0]?.field;
    throw error;
  }
  return undefined;
};

describe('JSON bodies', () => {
  it('reads the charset of a Content-Type, quoted or not, in any case', () => {
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf('application/json; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('application/json;Charset="ISO-8859-1"')).toBe('iso-8859-1');
    expect(charsetOf('application/json; foo=bar; charset = utf-16 ')).toBe('utf-16');
  });

  it('allows MAX_JSON_DEPTH levels and refuses one more, without recursion', () => {
    const nest = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;
    expect(() => checkJsonDocument(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(fieldOf(() => checkJsonDocument(nest(MAX_JSON_DEPTH + 1)))).toBe('body');
    expect(fieldOf(() => checkJsonDocument({ ok: 1, deep: nest(200_000) }))).toBe('deep');
  });

  it('names the string or the object holding a lone surrogate', () => {
    expect(fieldOf(() => checkJsonDocument({ a: [{ b: 'x\ud800' }] }))).toBe('a.0.b');
    expect(fieldOf(() => checkJsonDocument({ a: { ['\udc00']: 1 } }))).toBe('a');
    expect(fieldOf(() => checkJsonDocument('\ud800'))).toBe('body');
    expect(() => checkJsonDocument({ smile: '\ud83d\ude00' })).not.toThrow();
  });

  it('refuses invalid UTF-8, empty bodies and prototype poisoning; keeps a byte-order mark harmless', () => {
    expect(fieldOf(() => parseJsonBody(Buffer.from([0x22, 0xff, 0x22])))).toBe('body');
    expect(fieldOf(() => parseJsonBody(Buffer.alloc(0)))).toBe('body');
    expect(fieldOf(() => parseJsonBody(Buffer.from('{"__proto__":{"x":1}}')))).toBe('body');
    expect(fieldOf(() => parseJsonBody(Buffer.from('{"constructor":{"prototype":{}}}')))).toBe('body');
    expect(parseJsonBody(Buffer.from('\ufeff{"a":"Ö"}'))).toEqual({ a: 'Ö' });
  });
});
