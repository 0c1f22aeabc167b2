import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../common/domain-error.js';

/** The path of the one-click unsubscribe (RFC 8058), the only route that takes a form body. */
const ONE_CLICK = /^\/api\/v1\/subscriptions\/unsubscribe\/[^/?]+(\?.*)?$/;

/**
 * A mail program's one-click unsubscribe POSTs `List-Unsubscribe=One-Click` as
 * application/x-www-form-urlencoded (RFC 8058), and so does the button of the unsubscribe page: that route reads
 * the form (its content does not matter: the token in the path decides). Every other route still answers a form
 * body with 415, as before.
 */
export function useOneClickUnsubscribeBody(fastify: FastifyInstance): void {
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, _body, done) => {
    if (ONE_CLICK.test(request.url)) {
      done(null, {});
      return;
    }
    done(
      new DomainError('unsupported-media-type', HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'Send the request body as application/json.', [
        { field: 'header.Content-Type', message: 'must be application/json' },
      ]),
      undefined,
    );
  });
}
