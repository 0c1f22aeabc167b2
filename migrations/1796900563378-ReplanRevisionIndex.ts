import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The replans of a report are the `updated` revisions of its clusters within the period: a handful among the status
 * revisions (a status update writes one too), which the range scan on (cluster_id, recorded_at) read and threw away
 * one heap page at a time — 4,900 rows read to keep none for 7 clusters over a quarter. A partial index holds only the
 * `updated` ones: the replans of a batch are one small range scan, and the index costs a write only on a PATCH.
 */
export class ReplanRevisionIndex1796900563378 implements MigrationInterface {
  name = 'ReplanRevisionIndex1796900563378';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_revision__cluster_id_recorded_at_updated" ON "revision" ("cluster_id", "recorded_at") WHERE "kind" = 'updated'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_revision__cluster_id_recorded_at_updated"`);
  }
}
