import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactUrl } from './logger.js';
import { toProblem } from './problem-mapping.js';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';

/** Sends a problem-details body for anything thrown; a stack trace only ever goes to the log. */
export function sendProblem(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const mapped = toProblem(exception);
  if (mapped.unexpected) {
    logger.error(
      { err: exception, requestId: request.id, method: request.method, url: redactUrl(request.url) },
      exception instanceof Error ? exception.stack : String(exception),
    );
  }
  if (mapped.status >= 500) mapped.body.correlationId = String(request.id);
  if (reply.sent) return;
  void reply
    .code(mapped.status)
    .headers(mapped.headers ?? {})
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(mapped.body);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}
