import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { namedQuery } from '../common/sql.js';
import { db } from '../database/transaction-context.js';
import type { LateEntryResponse } from './dto/report-submission.dto.js';
import { ReportSubmissionsService } from './report-submissions.service.js';

/** `GET /report-submissions/{id}/late-entries`: what came after a submission was made. */
@Injectable()
export class LateEntriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly submissions: ReportSubmissionsService,
  ) {}

  /**
   * Measurements of the cluster recorded after the moment the submission is known at (its knownAt: the submission
   * itself, or the end of the period for one made before knownAt existed) whose measuredOn falls in its period,
   * oldest first: what its frozen report does not hold.
   */
  async lateEntries(caller: Caller, id: string, page: { limit: number; offset: number }): Promise<Page<LateEntryResponse>> {
    const submission = await this.submissions.find(caller, id);
    // The submission stays readable to the funder it was sent to; the cluster's measurements since are read by
    // the rule of now: a funder whose funding was archived no longer reads them.
    const cluster = readableClusters(caller, 'c.id');
    const [current] = await namedQuery(db(this.dataSource), `SELECT 1 FROM cluster c WHERE c.id = :clusterId AND ${cluster.sql}`, {
      ...cluster.params,
      clusterId: submission.clusterId,
    });
    if (!current) {
      throw new DomainError(
        'not-found',
        HttpStatus.NOT_FOUND,
        "This key no longer reads the submission's cluster, so not its measurements since (the submission and its report stay readable).",
      );
    }
    const rows = await namedQuery<{
      id: string;
      goal_id: string;
      goal_title: string;
      value: string;
      measured_on: string;
      comment: string | null;
      created_at: Date;
      author: string;
      total_count: string;
    }>(
      db(this.dataSource),
      `SELECT m.id, m.goal_id, g.title AS goal_title, m.value, m.measured_on, m.comment, m.created_at, m.author,
              count(*) OVER () AS total_count
       FROM measurement m JOIN goal g ON g.id = m.goal_id
       WHERE g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay
       ORDER BY m.created_at, m.id LIMIT :limit OFFSET :offset`,
      {
        clusterId: submission.clusterId,
        knownAt: submission.knownAt,
        firstDay: submission.firstDay,
        lastDay: submission.lastDay,
        limit: page.limit,
        offset: page.offset,
      },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : page.offset === 0
          ? 0
          : Number(
              (
                await namedQuery<{ n: string }>(
                  db(this.dataSource),
                  `SELECT count(*) AS n FROM measurement m JOIN goal g ON g.id = m.goal_id
                   WHERE g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay`,
                  {
                    clusterId: submission.clusterId,
                    knownAt: submission.knownAt,
                    firstDay: submission.firstDay,
                    lastDay: submission.lastDay,
                  },
                )
              )[0].n,
            );
    return {
      items: rows.map((r) => ({
        id: r.id,
        goalId: r.goal_id,
        goalTitle: r.goal_title,
        value: Number(r.value),
        measuredOn: r.measured_on,
        comment: r.comment,
        recordedAt: r.created_at.toISOString(),
        author: r.author,
      })),
      total,
      limit: page.limit,
      offset: page.offset,
    };
  }
}
