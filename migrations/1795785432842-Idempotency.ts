import { MigrationInterface, QueryRunner } from 'typeorm';

export class Idempotency1795785432842 implements MigrationInterface {
  name = 'Idempotency1795785432842';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idempotency_key" (
                "api_key_id" uuid NOT NULL,
                "key" character varying(200) NOT NULL,
                "fingerprint" bytea NOT NULL,
                "response_status" integer,
                "response_body" json,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_idempotency_key" PRIMARY KEY ("api_key_id", "key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_idempotency_key__expires_at" ON "idempotency_key" ("expires_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ix_idempotency_key__expires_at"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_key"
        `);
  }
}
