import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { namedQuery, rowToEntity } from '../common/sql.js';
import { db, transaction } from '../database/transaction-context.js';
import { updateLocked } from '../database/versioned-update.js';
import { periodDays } from '../reports/read/period.js';
import { rowsAt } from '../revisions/as-of.js';
import { recordRevision } from '../revisions/record.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { RevisionResponse } from '../revisions/dto/revision.dto.js';
import type { ListNarrativesQueryDto, PutNarrativeDto } from './dto/narrative.dto.js';
import { Narrative } from './narrative.entity.js';

/** The narrative's fields as a PUT sets them: all of them, a field left out cleared. */
function fieldsOf(dto: PutNarrativeDto): Pick<Narrative, 'summary' | 'results' | 'deviations' | 'nextSteps'> {
  return {
    summary: dto.summary ?? null,
    results: dto.results ?? null,
    deviations: dto.deviations ?? null,
    nextSteps: dto.nextSteps ?? null,
  };
}

/**
 * Period narratives: the text of a cluster's report for a period, one per cluster and period, written whole
 * (PUT) with a revision of every version, read as of any moment like the plan.
 */
@Injectable()
export class NarrativesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
    private readonly revisions: RevisionsService,
  ) {}

  private get repository() {
    return db(this.dataSource).getRepository(Narrative);
  }

  /** The narrative of a period of a cluster the caller may read; with `asOf`, as it was then (404 when there was none). */
  async get(caller: Caller, clusterId: string, period: string, asOfQuery?: string): Promise<Narrative> {
    periodDays(period);
    const asOf = this.revisions.instant(asOfQuery);
    await this.clusters.get(caller, clusterId);
    const [row] = await namedQuery(
      db(this.dataSource),
      `SELECT n.* FROM ${rowsAt('narrative', asOf, 'live.cluster_id = :clusterId AND live.period = :period')} n
       WHERE n.cluster_id = :clusterId AND n.period = :period`,
      { clusterId, period, asOf },
    );
    if (!row) throw DomainError.notFound('The narrative');
    return rowToEntity(this.repository, row);
  }

  /** The narratives of a cluster the caller may read, newest period first (a year before its halves and quarters). */
  async list(caller: Caller, clusterId: string, query: ListNarrativesQueryDto): Promise<Page<Narrative>> {
    const asOf = this.revisions.instant(query.asOf);
    await this.clusters.get(caller, clusterId);
    const manager = db(this.dataSource);
    const from = `${rowsAt('narrative', asOf, 'live.cluster_id = :clusterId')} n`;
    const rows = await namedQuery<Record<string, unknown> & { total_count: string }>(
      manager,
      `SELECT n.*, count(*) OVER () AS total_count FROM ${from} WHERE n.cluster_id = :clusterId
       ORDER BY n.first_day DESC, n.last_day DESC LIMIT :limit OFFSET :offset`,
      { clusterId, asOf, limit: query.limit, offset: query.offset },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : query.offset === 0
          ? 0
          : Number(
              (
                await namedQuery<{ n: string }>(manager, `SELECT count(*) AS n FROM ${from} WHERE n.cluster_id = :clusterId`, {
                  clusterId,
                  asOf,
                })
              )[0].n,
            );
    return { items: rows.map((r) => rowToEntity(this.repository, r)), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Writes the whole narrative of a period (an editor of the cluster, or admin): created when there is none,
   * else replaced — a PUT that changes nothing makes no revision and keeps the version. If-Match
   * names the version replaced (412 otherwise, also when there is none yet). The row is locked while it is written;
   * of two first PUTs at once, the second replaces the first.
   */
  async put(caller: Caller, clusterId: string, period: string, dto: PutNarrativeDto, ifMatch: number[] | undefined): Promise<Narrative> {
    const { first, last } = periodDays(period);
    await this.clusters.getForPlanWrite(caller, clusterId);
    const fields = fieldsOf(dto);
    return transaction(this.dataSource, async (manager) => {
      // Archiving the cluster waits for this write (and this one sees it archived if it came first).
      const [cluster] = await namedQuery<{ archived: boolean }>(
        manager,
        `SELECT archived_at IS NOT NULL AS archived FROM cluster WHERE id = :clusterId FOR SHARE`,
        { clusterId },
      );
      if (cluster?.archived) throw DomainError.conflict('The cluster is archived; its plan is read-only.');
      let current = await this.locked(manager, clusterId, period);
      if (!current) {
        if (ifMatch) throw DomainError.preconditionFailed(0);
        const [row] = await namedQuery(
          manager,
          `INSERT INTO narrative (cluster_id, period, first_day, last_day, summary, results, deviations, next_steps)
           VALUES (:clusterId, :period, :first, :last, :summary, :results, :deviations, :nextSteps)
           ON CONFLICT (cluster_id, period) DO NOTHING
           RETURNING *`,
          { clusterId, period, first, last, ...fields },
        );
        if (row) {
          const narrative = rowToEntity(manager.getRepository(Narrative), row);
          await recordRevision(manager, 'narrative', narrative, caller, 'created');
          return narrative;
        }
        // Made at the same moment by another PUT: this one replaces it.
        current = (await this.locked(manager, clusterId, period))!;
      }
      return updateLocked(manager, Narrative, current, ifMatch, fields, { subject: 'narrative', caller, kind: 'updated' });
    });
  }

  /** The revisions of a period's narrative, newest first; 404 when the cluster may not be read or has none. */
  async revisionsOf(
    caller: Caller,
    clusterId: string,
    period: string,
    page: { limit: number; offset: number },
  ): Promise<Page<RevisionResponse>> {
    const narrative = await this.get(caller, clusterId, period);
    return this.revisions.list('narrative', caller, narrative.id, page.limit, page.offset);
  }

  private async locked(manager: EntityManager, clusterId: string, period: string): Promise<Narrative | undefined> {
    const [row] = await namedQuery(manager, `SELECT * FROM narrative WHERE cluster_id = :clusterId AND period = :period FOR UPDATE`, {
      clusterId,
      period,
    });
    return row ? rowToEntity(manager.getRepository(Narrative), row) : undefined;
  }
}
