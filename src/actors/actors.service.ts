import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { assertCanWriteCluster } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { transaction } from '../database/transaction-context.js';
import { recordRevision } from '../revisions/record.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { Actor } from './actor.entity.js';
import { ActorsRepository } from './actors.repository.js';
import type { CreateActorDto, ListActorsQueryDto, UpdateActorDto } from './dto/actor.dto.js';

/**
 * The organisations of a cluster's stakeholder analysis. Read and written by
 * the same rules as the plan (the cluster's editors write; archived clusters
 * and actors are read-only). Every create, every change of kind, core or
 * engagement, and archiving append an entry to `actor_engagement` in the same
 * transaction, so that a report can count the actors at any date.
 */
@Injectable()
export class ActorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ActorsRepository,
    private readonly clusters: ClustersService,
    private readonly revisions: RevisionsService,
  ) {}

  async list(caller: Caller, clusterId: string, query: ListActorsQueryDto): Promise<Page<Actor>> {
    const asOf = this.revisions.instant(query.asOf);
    await this.clusters.get(caller, clusterId);
    return this.repository.list(clusterId, asOf, query);
  }

  /**
   * Every actor of a cluster that is not archived (as of `asOf`, if given), by name, in one statement (the caller's
   * right to read the cluster is checked by whoever asks).
   */
  current(clusterId: string, asOf?: Date): Promise<Actor[]> {
    return this.repository.current(clusterId, asOf);
  }

  /** An actor the caller may read (archived or not), or 404; with `asOf`, as it was then (404 if it did not exist yet). */
  async get(caller: Caller, id: string, asOfQuery?: string): Promise<Actor> {
    return this.repository.read(caller, id, this.revisions.instant(asOfQuery));
  }

  async create(caller: Caller, clusterId: string, dto: CreateActorDto): Promise<Actor> {
    await this.clusters.getForPlanWrite(caller, clusterId);
    return transaction(this.dataSource, async (manager) => {
      const actor = await this.repository.insert({
        clusterId,
        name: dto.name,
        kind: dto.kind,
        core: dto.core,
        engagement: dto.engagement ?? 'identified',
        role: dto.role ?? null,
        organisationNumber: dto.organisationNumber ?? null,
      });
      if (!actor) throw new Error('The new actor was not returned');
      await this.repository.recordEngagement(actor, false, caller);
      await recordRevision(manager, 'actor', actor, caller, 'created');
      return actor;
    });
  }

  /** Changes fields (PATCH); a change to nothing writes nothing. */
  async update(caller: Caller, id: string, dto: UpdateActorDto, ifMatch: number[] | undefined): Promise<Actor> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.getForWrite(caller, id);
      if (current.archivedAt) throw DomainError.conflict('The actor is archived; archived actors are read-only.');
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      const actor = await this.repository.update(current, { ...dto });
      if (!actor) return current;
      await recordRevision(manager, 'actor', actor, caller, 'updated');
      if (actor.kind !== current.kind || actor.core !== current.core || actor.engagement !== current.engagement) {
        await this.repository.recordEngagement(actor, false, caller);
      }
      return actor;
    });
  }

  /** Archives (never deletes); an archived actor is no longer counted from then on. Archiving again changes nothing. */
  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.getForWrite(caller, id);
      if (current.archivedAt) return;
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      await this.repository.archive(id);
      await this.repository.recordEngagement(current, true, caller);
      await recordRevision(manager, 'actor', current, caller, 'archived');
    });
  }

  /**
   * An actor the caller may change, locked with its cluster share-locked: 404
   * if unreadable, 403 if read-only to the caller, 409 if its cluster is archived.
   */
  private async getForWrite(caller: Caller, id: string): Promise<Actor> {
    const { actor, clusterArchived } = await this.repository.forWrite(caller, id);
    assertCanWriteCluster(caller, actor.clusterId);
    if (clusterArchived) throw DomainError.conflict('The cluster is archived; everything in it is read-only.');
    return actor;
  }
}
