import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Period narratives: the text of a cluster's report for a period (summary, results, deviations, next steps), one
 * per cluster and period, with a revision of every version (a new revision subject), so that a report as known at
 * a moment carries the text as it stood then.
 */
export class Narratives1796600000001 implements MigrationInterface {
  name = 'Narratives1796600000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."revision_subject" ADD VALUE IF NOT EXISTS 'narrative'`);
    await queryRunner.query(`
            CREATE TABLE "narrative" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "period" character varying(10) NOT NULL,
                "first_day" date NOT NULL,
                "last_day" date NOT NULL,
                "summary" character varying(10000),
                "results" character varying(10000),
                "deviations" character varying(10000),
                "next_steps" character varying(10000),
                CONSTRAINT "pk_narrative" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_narrative__cluster_id_period" ON "narrative" ("cluster_id", "period")`);
    await queryRunner.query(`
            ALTER TABLE "narrative"
            ADD CONSTRAINT "fk_narrative__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "narrative"`);
    // The revisions of narratives go with the table; the enum value stays (PostgreSQL cannot drop one), unused.
    await queryRunner.query(`ALTER TABLE "revision" DISABLE TRIGGER "tr_revision__append_only"`);
    await queryRunner.query(`DELETE FROM "revision" WHERE subject_type = 'narrative'`);
    await queryRunner.query(`ALTER TABLE "revision" ENABLE TRIGGER "tr_revision__append_only"`);
  }
}
