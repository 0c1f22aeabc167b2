import { MigrationInterface, QueryRunner } from 'typeorm';

/** Report links: a token (only its hash kept) that opens one report without a key, for 7 days. */
export class ReportLinks1796100000100 implements MigrationInterface {
  name = 'ReportLinks1796100000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_link" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "token_hash" bytea NOT NULL,
                "path" character varying(2000) NOT NULL,
                "api_key_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "pk_report_link" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_report_link__token_hash" ON "report_link" ("token_hash")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."uq_report_link__token_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "report_link"
        `);
  }
}
