import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { ETagInterceptor, WithETag } from './etag.js';

class Routes {
  @WithETag()
  marked(this: void): void {}
  plain(this: void): void {}
}

/** Runs the interceptor on a GET of `handler` answering `body`; the headers and status the reply was given. */
async function answer(handler: keyof Routes, body: unknown, ifNoneMatch?: string) {
  const headers: Record<string, string> = {};
  let status = 200;
  const reply = {
    header: (name: string, value: string) => ((headers[name] = value), reply),
    hasHeader: (name: string) => name in headers,
    code: (code: number) => ((status = code), reply),
  };
  const request = { method: 'GET', headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} };
  const context = {
    getHandler: () => Routes.prototype[handler],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  const next: CallHandler = { handle: () => of(body) };
  const sent: unknown = await lastValueFrom(new ETagInterceptor(new Reflector()).intercept(context, next));
  return { headers, status, sent };
}

describe('the ETag interceptor', () => {
  it('tags a versioned body and a page of a route marked @WithETag(), and answers a matching If-None-Match with 304', async () => {
    expect((await answer('marked', { id: 'a', version: 3 })).headers.etag).toBe('"3"');
    expect((await answer('marked', { items: [] })).headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(await answer('marked', { id: 'a', version: 3 }, '"3"')).toMatchObject({ status: 304, sent: undefined });
  });

  it('leaves a route without @WithETag() alone, whatever its body holds', async () => {
    const versioned = await answer('plain', { id: 'a', version: 3 }, '"3"');
    expect(versioned).toEqual({ headers: {}, status: 200, sent: { id: 'a', version: 3 } });
    expect((await answer('plain', { items: [] })).headers).toEqual({});
  });
});
