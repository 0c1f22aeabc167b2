import { createServer } from 'node:net';

/** Ports handed out in this process: a port just closed may be the kernel's next answer again. */
const handedOut = new Set<number>();

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a service a test starts itself; never one this process
 * was given before (two calls in a row, for a service and its database, once gave the same port twice).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await anyPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port that was not handed out before, in 100 attempts');
}
