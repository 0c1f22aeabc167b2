import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { transaction } from '../database/transaction-context.js';
import { checkVersion } from '../database/versioned-update.js';
import { periodDays } from '../reports/read/period.js';
import { recordRevision } from '../revisions/record.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { RevisionResponse } from '../revisions/dto/revision.dto.js';
import type { ListNarrativesQueryDto, PutNarrativeDto } from './dto/narrative.dto.js';
import type { Narrative } from './narrative.entity.js';
import { type NarrativeFields, NarrativesRepository } from './narratives.repository.js';

/** The narrative's fields as a PUT sets them: all of them, a field left out cleared. */
function fieldsOf(dto: PutNarrativeDto): NarrativeFields {
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
    private readonly repository: NarrativesRepository,
    private readonly clusters: ClustersService,
    private readonly revisions: RevisionsService,
  ) {}

  /** The narrative of a period of a cluster the caller may read; with `asOf`, as it was then (404 when there was none). */
  async get(caller: Caller, clusterId: string, period: string, asOfQuery?: string): Promise<Narrative> {
    periodDays(period);
    const asOf = this.revisions.instant(asOfQuery);
    await this.clusters.get(caller, clusterId);
    const narrative = await this.repository.find(clusterId, period, asOf);
    if (!narrative) throw DomainError.notFound('The narrative');
    return narrative;
  }

  /** The narratives of a cluster the caller may read, newest period first (a year before its halves and quarters). */
  async list(caller: Caller, clusterId: string, query: ListNarrativesQueryDto): Promise<Page<Narrative>> {
    const asOf = this.revisions.instant(query.asOf);
    await this.clusters.get(caller, clusterId);
    return this.repository.list(clusterId, asOf, query);
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
      const cluster = await this.repository.lockCluster(clusterId);
      if (cluster?.archived) throw DomainError.conflict('The cluster is archived; its plan is read-only.');
      let current = await this.repository.locked(clusterId, period);
      if (!current) {
        if (ifMatch) throw DomainError.preconditionFailed(0);
        const narrative = await this.repository.insert({ clusterId, period, first, last }, fields);
        if (narrative) {
          await recordRevision(manager, 'narrative', narrative, caller, 'created');
          return narrative;
        }
        // Made at the same moment by another PUT: this one replaces it.
        current = (await this.repository.locked(clusterId, period))!;
      }
      checkVersion(current, ifMatch);
      const narrative = await this.repository.update(current, fields);
      // None: every value was as stored (the lock rules out anything else), so no revision either.
      if (!narrative) return current;
      await recordRevision(manager, 'narrative', current, caller, 'updated');
      return narrative;
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
}
