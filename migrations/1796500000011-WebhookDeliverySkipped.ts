import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every delivery attempt checks again that the webhook's key may still read
 * the event's subject; a delivery it may not is `skipped`, never sent. The
 * delivery keeps the subject (type, id, cluster) of its event for that check,
 * so that an attempt reads one row, not the history; pending deliveries made
 * before get theirs from the revision they carry. A ping has none.
 */
export class WebhookDeliverySkipped1796500000011 implements MigrationInterface {
  name = 'WebhookDeliverySkipped1796500000011';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "webhook_delivery_state" ADD VALUE 'skipped'`);
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" ADD "subject_type" character varying(50), ADD "subject_id" uuid, ADD "cluster_id" uuid`,
    );
    await queryRunner.query(`
      UPDATE "webhook_delivery" d SET "subject_type" = r."subject_type"::text, "subject_id" = r."subject_id", "cluster_id" = r."cluster_id"
      FROM "revision" r WHERE r."event_id" = d."event_id" AND d."state" = 'pending'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" DROP COLUMN "subject_type", DROP COLUMN "subject_id", DROP COLUMN "cluster_id"`,
    );
    await queryRunner.query(`UPDATE "webhook_delivery" SET "state" = 'failed' WHERE "state" = 'skipped'`);
    await queryRunner.query(`DROP INDEX "ix_webhook_delivery__due"`);
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ALTER COLUMN "state" DROP DEFAULT`);
    await queryRunner.query(`ALTER TYPE "webhook_delivery_state" RENAME TO "webhook_delivery_state_old"`);
    await queryRunner.query(`CREATE TYPE "webhook_delivery_state" AS ENUM ('pending', 'succeeded', 'failed')`);
    await queryRunner.query(
      `ALTER TABLE "webhook_delivery" ALTER COLUMN "state" TYPE "webhook_delivery_state" USING "state"::text::"webhook_delivery_state"`,
    );
    await queryRunner.query(`ALTER TABLE "webhook_delivery" ALTER COLUMN "state" SET DEFAULT 'pending'`);
    await queryRunner.query(`DROP TYPE "webhook_delivery_state_old"`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_delivery__due" ON "webhook_delivery" ("next_attempt_at") WHERE "state" = 'pending'`);
  }
}
