import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKey } from '../../../auth/api-key.entity.js';
import type { Caller } from '../../../auth/role.js';
import { DomainError } from '../../../common/domain-error.js';
import { db } from '../../../database/transaction-context.js';
import { FollowUpService } from '../../../follow-up/follow-up.service.js';
import { ReportSubmissionsService } from '../../../report-submissions/report-submissions.service.js';
import { ReportsRepository } from '../../read/reports.repository.js';
import { ReportsService } from '../../reports.service.js';
import { parseReportPath, type ReportTarget } from './report-link-path.js';
import { ReportLink } from './report-link.entity.js';

/** How long a report link opens its report. */
export const REPORT_LINK_DAYS = 7;
const TOKEN_PREFIX = 'srl_';
/** `srl_` and 256 random bits in base64url. */
const TOKEN_SHAPE = /^srl_[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Report links: a key that may read a report, a submitted report or a status
 * grid makes a link to it; the link opens that one resource, in that format,
 * without a key, for 7 days, read as the key that made it, as of each use. Kept in PostgreSQL, so every instance
 * knows every link and every revocation at once.
 */
@Injectable()
export class ReportLinksService {
  private readonly logger = new Logger('ReportLinks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ReportsRepository,
    private readonly reports: ReportsService,
    private readonly submissions: ReportSubmissionsService,
    private readonly followUp: FollowUpService,
  ) {}

  /** A new link to the report at `path`, which the caller must be able to read. The token is in the answer only. */
  async create(caller: Caller, path: string): Promise<{ link: ReportLink; token: string }> {
    const target = parseReportPath(path);
    try {
      if (target.kind === 'report') this.reports.period(target.query);
      if (target.kind === 'statusGrid') this.followUp.period(target.query);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation') throw DomainError.invalid('path', `path: ${error.message}`);
      throw error;
    }
    await this.mayRead(caller, target);
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const link = await db(this.dataSource)
      .getRepository(ReportLink)
      .save({
        tokenHash: hashToken(token),
        path: target.path,
        apiKeyId: caller.keyId,
        expiresAt: new Date(Date.now() + REPORT_LINK_DAYS * 86_400_000),
        revokedAt: null,
      });
    this.logger.log(
      `Report link ${link.id} made by key ${caller.keyId} (${caller.name}) for ${link.path}, until ${link.expiresAt.toISOString()}`,
    );
    return { link, token };
  }

  /**
   * The report a token opens and the caller to read it as: the key that made the
   * link, if that key is still valid. An unknown, expired or revoked link, or one
   * whose key was revoked, is a 404 (the same answer for all, so nothing is told).
   */
  async open(token: string): Promise<{ target: ReportTarget; caller: Caller; linkId: string }> {
    const gone = DomainError.notFound('The report link');
    if (!TOKEN_SHAPE.test(token)) throw gone;
    const link = await db(this.dataSource)
      .getRepository(ReportLink)
      .findOne({ where: { tokenHash: hashToken(token) } });
    if (!link) throw gone;
    if (link.revokedAt || link.expiresAt.getTime() <= Date.now()) {
      this.logger.warn(`Report link ${link.id} refused: ${link.revokedAt ? 'revoked' : 'expired'}`);
      throw gone;
    }
    const key = await db(this.dataSource)
      .getRepository(ApiKey)
      .findOne({ where: { id: link.apiKeyId } });
    if (!key || key.revokedAt) {
      this.logger.warn(`Report link ${link.id} refused: the key that made it (${link.apiKeyId}) is revoked`);
      throw gone;
    }
    this.logger.log(`Report link ${link.id} opened: ${link.path}`);
    const caller: Caller = { keyId: key.id, name: key.name, role: key.role, clusterIds: key.clusterIds, funderId: key.funderId };
    return { target: parseReportPath(link.path), caller, linkId: link.id };
  }

  /** A link as its maker or an admin sees it (never its token). Someone else's link is a 404. */
  async get(caller: Caller, id: string): Promise<ReportLink> {
    const link = await db(this.dataSource).getRepository(ReportLink).findOne({ where: { id } });
    if (!link || (caller.role !== 'admin' && link.apiKeyId !== caller.keyId)) throw DomainError.notFound('The report link');
    return link;
  }

  /** Revokes a link: its creator or an admin. Someone else's link is a 404. Revoking again is fine. */
  async revoke(caller: Caller, id: string): Promise<void> {
    const links = db(this.dataSource).getRepository(ReportLink);
    const link = await this.get(caller, id);
    if (link.revokedAt) return;
    await links.update({ id }, { revokedAt: () => 'now()' });
    this.logger.log(`Report link ${id} revoked by key ${caller.keyId} (${caller.name})`);
  }

  /** 404 as the report, the submission or the grid itself would answer when the caller may not read it. */
  private async mayRead(caller: Caller, target: ReportTarget): Promise<void> {
    if (target.subject === 'submission') {
      await this.submissions.get(caller, target.id);
    } else if (target.subject === 'cluster') {
      if (!(await this.repository.cluster(caller, target.id))) throw DomainError.notFound('The cluster');
    } else if (!(await this.repository.funder(caller, target.id))) {
      throw DomainError.notFound('The funder');
    }
  }
}
