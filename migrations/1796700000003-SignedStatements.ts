import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed statements of submissions, chained by SHA-256, and the public keys that sign them.
 *
 * A migration cannot sign: the signing key is a setting of the running service, not of the schema. So every
 * submission made before this migration gets a pending statement row here (no position, text or signature), and
 * the service seals the pending rows at start-up, under the same lock as a submission, in the order the
 * submissions were made (submittedAt, then id): their statements take the first places of the chain, in their
 * original order, and the first submission made after the upgrade follows them.
 */
export class SignedStatements1796700000003 implements MigrationInterface {
  name = 'SignedStatements1796700000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "signing_key" (
                "id" character varying(43) NOT NULL,
                "x" character varying(43) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_signing_key" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "submission_statement" (
                "submission_id" uuid NOT NULL,
                "position" integer,
                "statement" text,
                "sha256" character(64),
                "previous" character(64),
                "signature" character varying(88),
                "key_id" character varying(43),
                CONSTRAINT "ck_submission_statement__sha256" CHECK ("sha256" = encode(sha256(convert_to("statement", 'UTF8')), 'hex')),
                CONSTRAINT "ck_submission_statement__sealed" CHECK (("position" IS NULL AND "statement" IS NULL AND "sha256" IS NULL AND "previous" IS NULL AND "signature" IS NULL AND "key_id" IS NULL)
   OR ("position" IS NOT NULL AND "statement" IS NOT NULL AND "sha256" IS NOT NULL AND "signature" IS NOT NULL AND "key_id" IS NOT NULL)),
                CONSTRAINT "pk_submission_statement" PRIMARY KEY ("submission_id")
            )
        `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_submission_statement__position" ON "submission_statement" ("position")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_submission_statement__previous" ON "submission_statement" ("previous")`);
    await queryRunner.query(
      `CREATE INDEX "ix_submission_statement__pending" ON "submission_statement" ("submission_id") WHERE "position" IS NULL`,
    );
    await queryRunner.query(`
            ALTER TABLE "submission_statement"
            ADD CONSTRAINT "fk_submission_statement__submission_id" FOREIGN KEY ("submission_id") REFERENCES "report_submission"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "submission_statement"
            ADD CONSTRAINT "fk_submission_statement__key_id" FOREIGN KEY ("key_id") REFERENCES "signing_key"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // A sealed statement never changes and no statement is removed: only a pending row is sealed, once.
    await queryRunner.query(`
            CREATE FUNCTION "forbid_statement_change"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND OLD."position" IS NULL THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION 'submission_statement is append-only: a sealed statement is never changed or removed'
                USING ERRCODE = 'restrict_violation';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_submission_statement__append_only" BEFORE UPDATE OR DELETE ON "submission_statement"
            FOR EACH ROW EXECUTE FUNCTION "forbid_statement_change"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_submission_statement__no_truncate" BEFORE TRUNCATE ON "submission_statement"
            FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"()
        `);
    // Existing submissions: pending statements, sealed at start-up in their original order.
    await queryRunner.query(`INSERT INTO "submission_statement" ("submission_id") SELECT "id" FROM "report_submission"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_submission_statement__no_truncate" ON "submission_statement"`);
    await queryRunner.query(`DROP TRIGGER "tr_submission_statement__append_only" ON "submission_statement"`);
    await queryRunner.query(`DROP FUNCTION "forbid_statement_change"()`);
    await queryRunner.query(`ALTER TABLE "submission_statement" DROP CONSTRAINT "fk_submission_statement__key_id"`);
    await queryRunner.query(`ALTER TABLE "submission_statement" DROP CONSTRAINT "fk_submission_statement__submission_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_submission_statement__pending"`);
    await queryRunner.query(`DROP INDEX "public"."uq_submission_statement__previous"`);
    await queryRunner.query(`DROP INDEX "public"."uq_submission_statement__position"`);
    await queryRunner.query(`DROP TABLE "submission_statement"`);
    await queryRunner.query(`DROP TABLE "signing_key"`);
  }
}
