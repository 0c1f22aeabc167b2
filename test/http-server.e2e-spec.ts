import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { startTestApp, type TestApp } from './support/app.js';

/** Listens on a free port of the loopback interface and returns the port. */
async function listen(t: TestApp): Promise<number> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

/** A raw connection that records what the server sends and when it closes. */
async function open(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a reset is one way of being closed
  const started = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  await once(socket, 'connect');
  return { socket, received: () => received, closed };
}

/** Resolves to the elapsed time when `closed` settles, or to undefined after `ms`. */
const within = (closed: Promise<number>, ms: number) =>
  Promise.race([closed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);

const nap = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the HTTP server', () => {
  describe('slow clients are cut off', () => {
    let t: TestApp;
    let port: number;
    beforeAll(async () => {
      t = await startTestApp({ HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000' });
      port = await listen(t);
    });
    afterAll(() => t.close());

    it('a header trickled one line at a time: 408 and closed within the headers timeout', async () => {
      const c = await open(port);
      c.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
      const trickle = setInterval(() => c.socket.writable && c.socket.write('X-Slow: 1\r\n'), 100);
      const elapsed = await within(c.closed, 3000);
      clearInterval(trickle);
      c.socket.destroy();
      expect(elapsed).toBeDefined();
      expect(elapsed).toBeLessThan(2000);
      expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(c.received()).toContain('application/problem+json');
    });

    it('a body trickled one byte at a time: cut off within the request timeout', async () => {
      const c = await open(port);
      c.socket.write('POST /api/v1/clusters HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n');
      const trickle = setInterval(() => c.socket.writable && c.socket.write(' '), 100);
      const elapsed = await within(c.closed, 4000);
      clearInterval(trickle);
      c.socket.destroy();
      expect(elapsed).toBeDefined();
      expect(elapsed).toBeLessThan(3000);
    });

    it('a query typed with raw non-ASCII bytes (not percent-encoded): a 400 that says to percent-encode it', async () => {
      const c = await open(port);
      c.socket.write(
        Buffer.concat([
          Buffer.from('GET /api/v1/clusters?region='),
          Buffer.from('Gävleborg', 'utf8'),
          Buffer.from(' HTTP/1.1\r\nHost: localhost\r\n\r\n'),
        ]),
      );
      await within(c.closed, 3000);
      c.socket.destroy();
      expect(c.received()).toMatch(/^HTTP\/1\.1 400 /);
      const body = JSON.parse(c.received().split('\r\n\r\n')[1]) as { detail: string };
      expect(body.detail).toMatch(/percent-encode/i);
      expect(body.detail).toContain('%C3%A4'); // how ä is written
    });

    it('a client that sends its request in time is served', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
    });
  });

  describe('connections are capped, and secrets stay out of the log', () => {
    let t: TestApp;
    let port: number;
    const lines: string[] = [];
    const logText = () => lines.join('');
    beforeAll(async () => {
      const destination = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      });
      t = await startTestApp({ HTTP_MAX_CONNECTIONS: '3', LOG_LEVEL: 'info' }, { logDestination: destination });
      port = await listen(t);
    });
    afterAll(() => t.close());

    const request = (c: { socket: Socket }, path = '/health') =>
      c.socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);

    it('answers no more than HTTP_MAX_CONNECTIONS connections at once, and takes new ones when some close', async () => {
      const held = await Promise.all([open(port), open(port), open(port)]);
      for (const c of held) request(c);
      await nap(300);
      for (const c of held) expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);

      const extra = await open(port);
      request(extra);
      expect(await within(extra.closed, 2000)).toBeDefined(); // dropped
      expect(extra.received()).toBe('');

      held[0].socket.destroy();
      await held[0].closed;
      await nap(100);
      const next = await open(port);
      request(next);
      await nap(300);
      expect(next.received()).toMatch(/^HTTP\/1\.1 200 /);
      for (const c of [...held, next]) c.socket.destroy();
      await Promise.all([...held, next].map((c) => c.closed));
      await nap(100); // the server counts them closed too
    });

    it('never logs a secret: query parameters with secret names are redacted, key headers never written', async () => {
      const viewer = (await t.key('viewer')).secret;
      const editor = (await t.key('viewer', { name: 'second viewer' })).secret;
      const base = `http://127.0.0.1:${port}/api/v1/clusters`;
      // A key in the query string is not accepted (401), and must not be written down either.
      expect((await fetch(`${base}?limit=5&api_key=${viewer}`)).status).toBe(401);
      expect((await fetch(`${base}?apiKey=${encodeURIComponent(viewer)}&offset=0`)).status).toBe(401);
      const headers = { Authorization: `Bearer ${editor}` };
      expect((await fetch(`${base}?access_token=${viewer}&token=tok-${viewer}&Secret=${viewer}&key=${viewer}`, { headers })).status).toBe(
        400,
      );
      expect((await fetch(base, { headers: { 'X-API-Key': viewer } })).status).toBe(200);
      expect((await fetch(base, { headers })).status).toBe(200);
      await nap(100);

      const text = logText();
      expect(text).toContain('"msg":"request"');
      expect(text).not.toContain(viewer);
      expect(text).not.toContain(editor);
      expect(text).not.toContain(viewer.slice(4, 30)); // not even a part of it
      const urls = lines
        .map((l) => JSON.parse(l) as { msg?: string; url?: string })
        .filter((l) => l.msg === 'request')
        .map((l) => l.url);
      expect(urls).toEqual(
        expect.arrayContaining([
          '/api/v1/clusters?limit=5&api_key=[redacted]',
          '/api/v1/clusters?apiKey=[redacted]&offset=0',
          '/api/v1/clusters?access_token=[redacted]&token=[redacted]&Secret=[redacted]&key=[redacted]',
        ]),
      );
    });

    it('warns once when requests come through a proxy while TRUST_PROXY is unset', async () => {
      const warnings = () => lines.filter((l) => l.includes('TRUST_PROXY'));
      expect(warnings()).toHaveLength(0);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/health`, { headers: { 'X-Forwarded-For': `203.0.113.${i}` } });
        expect(res.status).toBe(200);
      }
      await nap(100);
      expect(warnings()).toHaveLength(1);
      expect(JSON.parse(warnings()[0])).toMatchObject({ level: 40 });
    });
  });
});
