import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks and their deliveries. A delivery row is both the log and the
 * queue: workers claim due rows with FOR UPDATE SKIP LOCKED and a lease
 * (`locked_until`), so a crashed worker's delivery is taken again when its
 * lease runs out. `webhook_dispatch` holds the one cursor with which the
 * dispatcher follows the gap-free events feed; it moves in the same
 * transaction that writes the deliveries of the events it passed.
 */
export class Webhooks1796500000001 implements MigrationInterface {
  name = 'Webhooks1796500000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "webhook" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "api_key_id" uuid NOT NULL,
        "url" character varying(2000) NOT NULL,
        "types" text array,
        "cluster_ids" uuid array,
        "description" character varying(500),
        "secret_encrypted" bytea NOT NULL,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "failing_since" TIMESTAMP WITH TIME ZONE,
        "disabled_at" TIMESTAMP WITH TIME ZONE,
        "archived_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_webhook" PRIMARY KEY ("id"),
        CONSTRAINT "fk_webhook__api_key_id" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_webhook__api_key_id" ON "webhook" ("api_key_id")`);
    await queryRunner.query(`CREATE TYPE "webhook_delivery_state" AS ENUM ('pending', 'succeeded', 'failed')`);
    await queryRunner.query(`
      CREATE TABLE "webhook_delivery" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "webhook_id" uuid NOT NULL,
        "event_id" uuid NOT NULL,
        "event_type" character varying(100) NOT NULL,
        "payload" text NOT NULL,
        "state" "webhook_delivery_state" NOT NULL DEFAULT 'pending',
        "attempt" integer NOT NULL DEFAULT 0,
        "response_status" integer,
        "duration_ms" integer,
        "last_error" character varying(500),
        "next_attempt_at" TIMESTAMP WITH TIME ZONE DEFAULT now(),
        "locked_until" TIMESTAMP WITH TIME ZONE,
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "pk_webhook_delivery" PRIMARY KEY ("id"),
        CONSTRAINT "uq_webhook_delivery__webhook_id_event_id" UNIQUE ("webhook_id", "event_id"),
        CONSTRAINT "fk_webhook_delivery__webhook_id" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_delivery__due" ON "webhook_delivery" ("next_attempt_at") WHERE "state" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "ix_webhook_delivery__webhook_id_created_at" ON "webhook_delivery" ("webhook_id", "created_at")`);
    await queryRunner.query(`
      CREATE TABLE "webhook_dispatch" (
        "id" smallint NOT NULL,
        "xid" bigint NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_webhook_dispatch" PRIMARY KEY ("id"),
        CONSTRAINT "ck_webhook_dispatch__one_row" CHECK ("id" = 1)
      )`);
    // Events from before webhooks existed are not delivered: the dispatcher starts where the feed stands now.
    await queryRunner.query(`
      INSERT INTO "webhook_dispatch" ("id", "xid", "position")
      SELECT 1, COALESCE(max(xid), 0), COALESCE(max(position), 0) FROM revision`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_dispatch"`);
    await queryRunner.query(`DROP TABLE "webhook_delivery"`);
    await queryRunner.query(`DROP TYPE "webhook_delivery_state"`);
    await queryRunner.query(`DROP TABLE "webhook"`);
  }
}
