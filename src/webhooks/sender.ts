import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import standardwebhooks from 'standardwebhooks';
import { checkTarget, type Resolve, UnsafeUrlError } from './address-guard.js';

/** Bytes of a receiver's answer read at most; the rest is dropped. */
const MAX_RESPONSE_BYTES = 4096;

export interface SendOptions {
  allowPrivate: boolean;
  resolve: Resolve;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SendResult {
  ok: boolean;
  status: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * POSTs one signed message (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). The host is resolved and checked
 * again at every delivery, and the connection goes to the address checked
 * (DNS rebinding cannot swap it). Redirects are not followed (a 3xx is a
 * failure), the answer is read up to 4 KiB, and the whole exchange has
 * `timeoutMs`. Only a 2xx is a success.
 */
export async function sendWebhook(
  target: string,
  secret: string,
  message: { id: string; body: string },
  options: SendOptions,
): Promise<SendResult> {
  const started = Date.now();
  const done = (status: number | null, error: string | null): SendResult => ({
    ok: status !== null && status >= 200 && status < 300,
    status,
    durationMs: Date.now() - started,
    error,
  });
  let checked;
  try {
    checked = await checkTarget(target, { ...options, connect: true });
  } catch (error) {
    if (error instanceof UnsafeUrlError) return done(null, error.message);
    throw error;
  }
  const timestamp = new Date();
  const signature = new standardwebhooks.Webhook(secret).sign(message.id, timestamp, message.body);
  const pinned: LookupFunction = (_hostname, opts, callback) => {
    if ((opts as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: checked.address, family: checked.family },
      ]);
    } else {
      callback(null, checked.address, checked.family);
    }
  };
  const client = checked.url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(status, error));
    };
    const request = client.request(
      checked.url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        signal: options.signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(message.body),
          'user-agent': 'Styrman-Webhooks/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const status = response.statusCode ?? null;
        response.on('end', () => finish(status, status !== null && status >= 300 && status < 400 ? 'redirect not followed' : null));
        response.on('close', () => finish(status, null));
        response.on('error', () => finish(status, null));
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    request.on('error', (error) => finish(null, error.message.slice(0, 500)));
    request.end(message.body);
  });
}
