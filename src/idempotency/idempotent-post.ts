import { applyDecorators, Post, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * A POST route with `Idempotency-Key`: every POST route of the API is declared with it (`test/idempotency` holds
 * that each POST route and no other route has the interceptor). Bound per route rather than globally, so that a
 * read passes through no interceptor at all (Nest then calls the handler without its rxjs chain).
 */
export const IdempotentPost = (path?: string): MethodDecorator => applyDecorators(Post(path), UseInterceptors(IdempotencyInterceptor));
