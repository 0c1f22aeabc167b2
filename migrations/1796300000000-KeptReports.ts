import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kept reports: the rendered bytes of a report whose period has ended, compressed, keyed by everything that
 * determines them (see src/reports/kept/report-key.ts), shared by every instance.
 */
export class KeptReports1796300000000 implements MigrationInterface {
  name = 'KeptReports1796300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "kept_report" (
                "key" bytea NOT NULL,
                "etag" character(64) NOT NULL,
                "size" integer NOT NULL,
                "gzip" bytea,
                "br" bytea,
                "identity" bytea,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_kept_report" PRIMARY KEY ("key"),
                CONSTRAINT "chk_kept_report__bytes" CHECK ("gzip" IS NOT NULL OR "identity" IS NOT NULL)
            )
        `);
    // Compressed already: PostgreSQL's own TOAST compression would only cost time.
    await queryRunner.query(`ALTER TABLE "kept_report" ALTER COLUMN "gzip" SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE "kept_report" ALTER COLUMN "br" SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE "kept_report" ALTER COLUMN "identity" SET STORAGE EXTERNAL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "kept_report"`);
  }
}
