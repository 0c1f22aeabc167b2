import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /needs-update asks, for every cluster, which items have a history entry
 * since the start of its cadence: with the subject in the index, that is an
 * index-only range scan on (cluster_id, created_at) instead of a heap fetch
 * per entry.
 */
export class RecentHistoryIndex1796100000001 implements MigrationInterface {
  name = 'RecentHistoryIndex1796100000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_status_update__cluster_id_created_at_subject_id" ON "status_update" ("cluster_id", "created_at") INCLUDE ("subject_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_status_update__cluster_id_created_at_subject_id"`);
  }
}
