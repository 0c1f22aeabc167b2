import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A submission is its period's report as known at a moment: `known_at`. From now on that moment is the submission
 * itself (`submitted_at`), so a report completed after it was returned carries what was recorded in between.
 * Every submission made before this migration was built as known at the end of its period — measurements recorded
 * by `period_to` — so its `known_at` is its `period_to`: that is what its stored bytes (untouched here) hold, and
 * `late-entries` now lists what was recorded after it, including what came between the period's end and the
 * submission.
 */
export class SubmissionKnownAt1796600000000 implements MigrationInterface {
  name = 'SubmissionKnownAt1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_submission" ADD "known_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "report_submission" SET "known_at" = "period_to"`);
    await queryRunner.query(`ALTER TABLE "report_submission" ALTER COLUMN "known_at" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "report_submission" ADD CONSTRAINT "ck_report_submission__known_at" CHECK ("known_at" >= "period_to")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_submission" DROP CONSTRAINT "ck_report_submission__known_at"`);
    await queryRunner.query(`ALTER TABLE "report_submission" DROP COLUMN "known_at"`);
  }
}
