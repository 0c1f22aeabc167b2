import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `open_report`: reports of running periods kept for a short time (REPORT_OPEN_KEEP_SECONDS), shared by every
 * instance. Each row holds the snapshot the report was read in and its clusters: a pull is served the row only while
 * no revision of those clusters (or of none) has committed since that snapshot. Rows are replaced by newer builds
 * and deleted once expired; deleting any row is always safe (the next pull builds the report).
 */
export class OpenReports1796900000000 implements MigrationInterface {
  name = 'OpenReports1796900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "open_report" (
        "key" bytea NOT NULL,
        "etag" character(64) NOT NULL,
        "size" integer NOT NULL,
        "gzip" bytea NOT NULL,
        "snapshot" pg_snapshot NOT NULL,
        "cluster_ids" uuid[] NOT NULL,
        "built_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_open_report" PRIMARY KEY ("key")
      )`);
    // Compressed already: PostgreSQL's own TOAST compression would only cost time.
    await queryRunner.query(`ALTER TABLE "open_report" ALTER COLUMN "gzip" SET STORAGE EXTERNAL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "open_report"`);
  }
}
