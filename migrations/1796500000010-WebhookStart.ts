import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook gets the events committed after it was made: it keeps the
 * snapshot its creation saw, and the dispatcher passes over every revision
 * visible in it (`pg_visible_in_snapshot`). A transaction that began before
 * the webhook and commits after it is delivered; one that committed before
 * is not, whatever their clocks say. Webhooks made before this column
 * existed keep the old rule (events recorded at or after `created_at`).
 */
export class WebhookStart1796500000010 implements MigrationInterface {
  name = 'WebhookStart1796500000010';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook" ADD "created_snapshot" pg_snapshot`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook" DROP COLUMN "created_snapshot"`);
  }
}
