import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications by email.
 *
 * `funder.report_due_days`: a period's report is due that many days after the period ends (existing funders: 30).
 *
 * `subscription` holds the address, the only personal data kept; a DELETE (or an unsubscribe) removes the row and,
 * through the cascade, every email made for it. The confirmation link's token is kept as a SHA-256 hash only; the
 * unsubscribe token is kept as it is, since every email carries it.
 *
 * `email` is the outbox and the queue: an email is decided and written in one transaction, and its key
 * (subscription, dedupe_key) — the subject and the moment, e.g. `submission_due:<cluster>:<funder>:2026-Q3:3d` —
 * makes a second decision of the same email (another instance, a restart) write nothing. Workers claim due rows with
 * FOR UPDATE SKIP LOCKED and a lease, as webhook deliveries. The row holds no address: it is read from the
 * subscription when the email is sent.
 *
 * `email_job` holds the scheduled jobs (the due reminders, the weekly digest) with their next run; an instance claims
 * a job that is due with FOR UPDATE SKIP LOCKED. `email_dispatch` is the cursor with which event-driven emails follow
 * the events feed.
 */
export class EmailNotifications1796700000004 implements MigrationInterface {
  name = 'EmailNotifications1796700000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "funder" ADD "report_due_days" integer NOT NULL DEFAULT 30`);
    await queryRunner.query(`ALTER TABLE "funder" ADD CONSTRAINT "ck_funder__report_due_days" CHECK (report_due_days BETWEEN 0 AND 365)`);
    await queryRunner.query(`CREATE TYPE "subscription_state" AS ENUM ('pending', 'confirmed')`);
    await queryRunner.query(`
      CREATE TABLE "subscription" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "api_key_id" uuid NOT NULL,
        "email" character varying(254) NOT NULL,
        "language" character varying(2) NOT NULL,
        "topics" text array NOT NULL,
        "cluster_ids" uuid array,
        "state" "subscription_state" NOT NULL DEFAULT 'pending',
        "confirm_token_hash" bytea NOT NULL,
        "unsubscribe_token" character varying(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        "confirmed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_subscription" PRIMARY KEY ("id"),
        CONSTRAINT "uq_subscription__confirm_token_hash" UNIQUE ("confirm_token_hash"),
        CONSTRAINT "uq_subscription__unsubscribe_token" UNIQUE ("unsubscribe_token"),
        CONSTRAINT "fk_subscription__api_key_id" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id")
      )`);
    await queryRunner.query(`CREATE INDEX "ix_subscription__api_key_id" ON "subscription" ("api_key_id")`);
    await queryRunner.query(`CREATE TYPE "email_state" AS ENUM ('pending', 'sent', 'failed', 'skipped')`);
    await queryRunner.query(`
      CREATE TABLE "email" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "subscription_id" uuid NOT NULL,
        "topic" character varying(40) NOT NULL,
        "dedupe_key" character varying(300) NOT NULL,
        "cluster_id" uuid,
        "subject" character varying(500) NOT NULL,
        "text" text NOT NULL,
        "html" text NOT NULL,
        "state" "email_state" NOT NULL DEFAULT 'pending',
        "attempt" integer NOT NULL DEFAULT 0,
        "last_error" character varying(500),
        "next_attempt_at" TIMESTAMP WITH TIME ZONE DEFAULT clock_timestamp(),
        "locked_until" TIMESTAMP WITH TIME ZONE,
        "sent_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "pk_email" PRIMARY KEY ("id"),
        CONSTRAINT "uq_email__subscription_id_dedupe_key" UNIQUE ("subscription_id", "dedupe_key"),
        CONSTRAINT "fk_email__subscription_id" FOREIGN KEY ("subscription_id") REFERENCES "subscription"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_email__due" ON "email" ("next_attempt_at") WHERE "state" = 'pending'`);
    await queryRunner.query(`
      CREATE TABLE "email_job" (
        "name" character varying(40) NOT NULL,
        "next_run_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_run_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_email_job" PRIMARY KEY ("name")
      )`);
    await queryRunner.query(
      `INSERT INTO "email_job" ("name", "next_run_at") VALUES ('submission_due', '-infinity'), ('weekly_digest', '-infinity')`,
    );
    await queryRunner.query(`
      CREATE TABLE "email_dispatch" (
        "id" smallint NOT NULL,
        "xid" bigint NOT NULL,
        "position" bigint NOT NULL,
        CONSTRAINT "pk_email_dispatch" PRIMARY KEY ("id"),
        CONSTRAINT "ck_email_dispatch__one_row" CHECK ("id" = 1)
      )`);
    // Events from before subscriptions existed are not mailed: the dispatcher starts where the feed stands now.
    await queryRunner.query(`
      INSERT INTO "email_dispatch" ("id", "xid", "position")
      SELECT 1, COALESCE(max(xid), 0), COALESCE(max(position), 0) FROM revision`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_dispatch"`);
    await queryRunner.query(`DROP TABLE "email_job"`);
    await queryRunner.query(`DROP TABLE "email"`);
    await queryRunner.query(`DROP TYPE "email_state"`);
    await queryRunner.query(`DROP TABLE "subscription"`);
    await queryRunner.query(`DROP TYPE "subscription_state"`);
    await queryRunner.query(`ALTER TABLE "funder" DROP CONSTRAINT "ck_funder__report_due_days"`);
    await queryRunner.query(`ALTER TABLE "funder" DROP COLUMN "report_due_days"`);
  }
}
