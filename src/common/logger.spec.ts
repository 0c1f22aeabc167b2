import { Writable } from 'node:stream';
import { createLogger, redactUrl } from './logger.js';

describe('logging without secrets', () => {
  it('redacts the values of secret query parameters, whatever their spelling', () => {
    expect(redactUrl('/api/v1/clusters?limit=5&api_key=abc&offset=0')).toBe('/api/v1/clusters?limit=5&api_key=[redacted]&offset=0');
    expect(redactUrl('/x?apiKey=a&API-KEY=b&x-api-key=c&key=d&token=e&access_token=f&Secret=g&client_secret=h&password=i')).toBe(
      '/x?apiKey=[redacted]&API-KEY=[redacted]&x-api-key=[redacted]&key=[redacted]&token=[redacted]&access_token=[redacted]' +
        '&Secret=[redacted]&client_secret=[redacted]&password=[redacted]',
    );
    expect(redactUrl('/x?api%5Fkey=a&token[]=b&sort=-name')).toBe('/x?api%5Fkey=[redacted]&token[]=[redacted]&sort=-name');
    expect(redactUrl('/api/v1/clusters?region=Sk%C3%A5ne&period=2026-Q3')).toBe('/api/v1/clusters?region=Sk%C3%A5ne&period=2026-Q3');
    expect(redactUrl('/api/v1/clusters')).toBe('/api/v1/clusters');
  });

  it('hides anything that looks like a Styrman key, wherever it is in the URL', () => {
    expect(redactUrl('/api/v1/sty_abcdefghijklmnop?q=sty_abcdefghijklmnop_-x')).toBe('/api/v1/sty_[redacted]?q=sty_[redacted]');
  });

  it('hides report link tokens in paths and queries, and in any line written', () => {
    const token = 'srl_R2qAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_ab';
    expect(redactUrl(`/api/v1/reports/shared/${token}?next=${token}`)).toBe('/api/v1/reports/shared/srl_[redacted]?next=srl_[redacted]');
    expect(redactUrl(`/api/v1/reports/shared/srl%5F${token.slice(4)}`)).toBe('/api/v1/reports/shared/srl_[redacted]');
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger('info', destination);
    logger.info({ url: `/api/v1/reports/shared/${token}` }, `opened ${token}`);
    logger.error(new Error(`Cannot GET /api/v1/reports/shared/${token}`));
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain(token.slice(4));
  });

  it('never writes Authorization or X-API-Key headers', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger('info', destination);
    const headers = { authorization: 'Bearer sty_secret1', 'x-api-key': 'sty_secret2', accept: 'application/json' };
    logger.info({ req: { headers } }, 'a');
    logger.info({ headers }, 'b');
    logger.info({ request: { headers } }, 'c');
    logger.info({ authorization: 'Bearer sty_secret3', secret: 'sty_secret4' }, 'd');
    const text = lines.join('');
    expect(lines).toHaveLength(4);
    expect(text).not.toMatch(/sty_secret/);
    expect(text).toContain('application/json');
  });
});
