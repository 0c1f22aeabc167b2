import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Submitted reports: the submission (its state changes by the funder's
 * decision) and the frozen report (its bytes never change: append-only, and
 * its hash checked against them). A submission is a revision subject.
 */
export class ReportSubmissions1796400000000 implements MigrationInterface {
  name = 'ReportSubmissions1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."revision_subject" ADD VALUE IF NOT EXISTS 'report_submission'`);
    await queryRunner.query(`
            CREATE TYPE "public"."report_submission_state" AS ENUM('submitted', 'acknowledged', 'returned')
        `);
    await queryRunner.query(`
            CREATE TABLE "report_submission" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "funder_id" uuid NOT NULL,
                "period" character varying(10),
                "period_from" TIMESTAMP WITH TIME ZONE NOT NULL,
                "period_to" TIMESTAMP WITH TIME ZONE NOT NULL,
                "first_day" date NOT NULL,
                "last_day" date NOT NULL,
                "state" "public"."report_submission_state" NOT NULL DEFAULT 'submitted',
                "sha256" character(64) NOT NULL,
                "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "submitted_by" character varying(200) NOT NULL,
                "submitted_by_key_id" uuid,
                "comment" character varying(5000),
                "previous_submission_id" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "decided_by" character varying(200),
                "decided_by_key_id" uuid,
                "decision_comment" character varying(5000),
                CONSTRAINT "pk_report_submission" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_report_submission__period" ON "report_submission" ("cluster_id", "funder_id", "period_from", "period_to")
            WHERE state IN ('submitted', 'acknowledged')
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_report_submission__funder_id_state" ON "report_submission" ("funder_id", "state")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_report_submission__cluster_id_funder_id" ON "report_submission" ("cluster_id", "funder_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "submitted_report" (
                "submission_id" uuid NOT NULL,
                "body" bytea NOT NULL,
                "sha256" character(64) NOT NULL,
                "latest_comments" jsonb NOT NULL,
                CONSTRAINT "ck_submitted_report__sha256" CHECK (sha256 = encode(sha256(body), 'hex')),
                CONSTRAINT "pk_submitted_report" PRIMARY KEY ("submission_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "report_submission"
            ADD CONSTRAINT "fk_report_submission__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "report_submission"
            ADD CONSTRAINT "fk_report_submission__funder_id" FOREIGN KEY ("funder_id") REFERENCES "funder"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "report_submission"
            ADD CONSTRAINT "fk_report_submission__previous_submission_id" FOREIGN KEY ("previous_submission_id") REFERENCES "report_submission"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "submitted_report"
            ADD CONSTRAINT "fk_submitted_report__submission_id" FOREIGN KEY ("submission_id") REFERENCES "report_submission"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // The submitted bytes never change.
    await queryRunner.query(`
            CREATE TRIGGER "tr_submitted_report__append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "submitted_report"
            FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_submitted_report__append_only" ON "submitted_report"`);
    await queryRunner.query(`ALTER TABLE "submitted_report" DROP CONSTRAINT "fk_submitted_report__submission_id"`);
    await queryRunner.query(`ALTER TABLE "report_submission" DROP CONSTRAINT "fk_report_submission__previous_submission_id"`);
    await queryRunner.query(`ALTER TABLE "report_submission" DROP CONSTRAINT "fk_report_submission__funder_id"`);
    await queryRunner.query(`ALTER TABLE "report_submission" DROP CONSTRAINT "fk_report_submission__cluster_id"`);
    await queryRunner.query(`DROP TABLE "submitted_report"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_submission__cluster_id_funder_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_submission__funder_id_state"`);
    await queryRunner.query(`DROP INDEX "public"."uq_report_submission__period"`);
    await queryRunner.query(`DROP TABLE "report_submission"`);
    await queryRunner.query(`DROP TYPE "public"."report_submission_state"`);
    // An enum value cannot be dropped: the type is made again without it, and the revisions of submissions go with the table.
    await queryRunner.query(`ALTER TABLE "revision" DISABLE TRIGGER "tr_revision__append_only"`);
    await queryRunner.query(`DELETE FROM "revision" WHERE subject_type = 'report_submission'`);
    await queryRunner.query(`ALTER TABLE "revision" ENABLE TRIGGER "tr_revision__append_only"`);
    await queryRunner.query(`ALTER TYPE "public"."revision_subject" RENAME TO "revision_subject_old"`);
    await queryRunner.query(`
            CREATE TYPE "public"."revision_subject" AS ENUM(
                'cluster', 'goal', 'measurement', 'activity', 'low_hanging_fruit', 'risk', 'actor', 'funder', 'funding'
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "revision" ALTER COLUMN "subject_type" TYPE "public"."revision_subject" USING "subject_type"::text::"public"."revision_subject"
        `);
    await queryRunner.query(`DROP TYPE "public"."revision_subject_old"`);
  }
}
