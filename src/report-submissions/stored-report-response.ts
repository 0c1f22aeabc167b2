import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { conditionalGet } from '../common/etag.js';
import { reportFormat, writeReport } from '../reports/render/report-format.js';
import { frozenDocument } from './frozen-report.js';
import type { SubmittedReportQueryDto } from './dto/report-submission.dto.js';
import type { StoredReport } from './report-submissions.service.js';

/** RFC 9530: `sha-256=:<base64 of the SHA-256 of the bytes>:`. */
function contentDigest(sha256Hex: string): string {
  return `sha-256=:${Buffer.from(sha256Hex, 'hex').toString('base64')}:`;
}

/**
 * Answers with the frozen report: the stored JSON bytes as they are, or a CSV
 * or XLSX form written from them by the report writers. Every form is the
 * same on every pull, so each carries the SHA-256 of its bytes as ETag and as
 * Content-Digest, and `no-transform`: nothing on the way may change bytes
 * whose digest is given. Never compressed, so that the digest is of what
 * arrives; a submitted report is one cluster's quarter, tens of kilobytes.
 */
export async function sendStoredReport(
  stored: StoredReport,
  query: SubmittedReportQueryDto,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Buffer> {
  void reply.header('cache-control', 'private, no-transform');
  // Content-Digest is the digest of the bytes that arrive (RFC 9530): the response compression must leave them as
  // they are. `x-no-compression` on the request is how @fastify/compress lets one response out.
  request.headers['x-no-compression'] = 'content-digest';
  if (reportFormat(query, request.headers.accept) === 'json') {
    void reply.header('content-type', 'application/json; charset=utf-8').header('vary', 'Accept');
    void reply.header('content-digest', contentDigest(stored.sha256));
    if (conditionalGet(request, reply, `"${stored.sha256}"`)) return Buffer.alloc(0);
    return stored.body;
  }
  const document = frozenDocument(stored.body, stored.latestComments);
  const subject = document.sections[0]?.cluster.name ?? 'cluster';
  const parts = await writeReport(document, { subject, label: stored.label }, query, request, reply);
  const chunks: Buffer[] = [];
  for await (const part of parts) chunks.push(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  if (reply.statusCode === 304) return Buffer.alloc(0);
  const body = Buffer.concat(chunks);
  void reply.header('content-digest', contentDigest(createHash('sha256').update(body).digest('hex')));
  return body;
}
