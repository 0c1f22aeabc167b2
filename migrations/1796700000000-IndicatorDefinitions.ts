import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programme indicators: the definitions funders ask every cluster to measure the same way (a new revision
 * subject), and the EU cohesion policy's common indicators for enterprise support, shipped read-only and owned by
 * no funder. They are never written through the API, so they have no revisions: as of any time they are as here.
 */
export class IndicatorDefinitions1796700000000 implements MigrationInterface {
  name = 'IndicatorDefinitions1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."revision_subject" ADD VALUE IF NOT EXISTS 'indicator_definition'`);
    await queryRunner.query(`CREATE TYPE "public"."indicator_aggregation" AS ENUM('sum', 'organisations')`);
    await queryRunner.query(`CREATE TYPE "public"."indicator_breakdown" AS ENUM('enterprise_size')`);
    await queryRunner.query(`
            CREATE TABLE "indicator_definition" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "code" character varying(32) NOT NULL,
                "name" character varying(200) NOT NULL,
                "description" character varying(5000),
                "unit" character varying(200) NOT NULL,
                "aggregation" "public"."indicator_aggregation" NOT NULL,
                "breakdown" "public"."indicator_breakdown",
                "funder_id" uuid,
                "shipped" boolean NOT NULL DEFAULT false,
                "adopted_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "pk_indicator_definition" PRIMARY KEY ("id")
            )
        `);
    // One code per owner; the common definitions (no funder) share one namespace.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_indicator_definition__code" ON "indicator_definition" ("funder_id", "code") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(`
            ALTER TABLE "indicator_definition"
            ADD CONSTRAINT "fk_indicator_definition__funder_id" FOREIGN KEY ("funder_id") REFERENCES "funder"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            INSERT INTO "indicator_definition" ("id", "code", "name", "description", "unit", "aggregation", "breakdown", "shipped", "created_at", "updated_at") VALUES
            ('00000000-0000-4000-8000-0000000c0001', 'RCO01', 'Enterprises supported (of which: micro, small, medium, large)',
             'EU common output indicator RCO01 (Regulation 2021/1058, Annex I): enterprises receiving support, each counted once, by enterprise size.',
             'enterprises', 'organisations', 'enterprise_size', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
            ('00000000-0000-4000-8000-0000000c0002', 'RCO02', 'Enterprises supported by grants',
             'EU common output indicator RCO02: enterprises receiving grants, each counted once.',
             'enterprises', 'organisations', NULL, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
            ('00000000-0000-4000-8000-0000000c0004', 'RCO04', 'Enterprises with non-financial support',
             'EU common output indicator RCO04: enterprises receiving non-financial support (advice, coaching, matchmaking), each counted once.',
             'enterprises', 'organisations', NULL, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
            ('00000000-0000-4000-8000-0000000c0010', 'RCO10', 'Enterprises cooperating with research organisations',
             'EU common output indicator RCO10: enterprises cooperating with research organisations in supported projects, each counted once.',
             'enterprises', 'organisations', NULL, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
            ('00000000-0000-4000-8000-0000000c1001', 'RCR01', 'Jobs created in supported entities',
             'EU common result indicator RCR01: new jobs in supported entities, in annual full-time equivalents.',
             'annual FTEs', 'sum', NULL, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
            ('00000000-0000-4000-8000-0000000c1002', 'RCR02', 'Private investments matching public support',
             'EU common result indicator RCR02: private investment matching public support (of which grants and financial instruments), in euros.',
             'EUR', 'sum', NULL, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
            ('00000000-0000-4000-8000-0000000c1003', 'RCR03', 'SMEs introducing product or process innovation',
             'EU common result indicator RCR03: small and medium-sized enterprises introducing product or process innovation, each counted once.',
             'enterprises', 'organisations', NULL, true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "indicator_definition"`);
    await queryRunner.query(`DROP TYPE "public"."indicator_breakdown"`);
    await queryRunner.query(`DROP TYPE "public"."indicator_aggregation"`);
    // The enum value stays (PostgreSQL cannot drop one), unused; the revisions of definitions go with the table.
    await queryRunner.query(`ALTER TABLE "revision" DISABLE TRIGGER "tr_revision__append_only"`);
    await queryRunner.query(`DELETE FROM "revision" WHERE subject_type = 'indicator_definition'`);
    await queryRunner.query(`ALTER TABLE "revision" ENABLE TRIGGER "tr_revision__append_only"`);
  }
}
