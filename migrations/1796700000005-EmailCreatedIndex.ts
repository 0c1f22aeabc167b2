import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The emails of the last hour by state, for `GET /metrics`, without scanning the outbox's history: an index on
 * `created_at` of the emails no longer pending (the pending ones are counted through `ix_email__due`).
 */
export class EmailCreatedIndex1796700000005 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_email__created_at" ON "email" ("created_at") WHERE "state" <> 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_email__created_at"`);
  }
}
