import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations: actors gain their Swedish organisation number (unique per cluster), and a measurement of an
 * `organisations` indicator lists the organisations it counts, each once, with its enterprise size where the
 * definition breaks down by it. Measurements are append-only, and so are their organisations.
 */
export class MeasuredOrganisations1796700000002 implements MigrationInterface {
  name = 'MeasuredOrganisations1796700000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "actor" ADD "organisation_number" character varying(11)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_actor__organisation_number" ON "actor" ("cluster_id", "organisation_number")`);
    await queryRunner.query(`CREATE TYPE "public"."enterprise_size" AS ENUM('micro', 'small', 'medium', 'large')`);
    await queryRunner.query(`
            CREATE TABLE "measurement_organisation" (
                "measurement_id" uuid NOT NULL,
                "organisation_number" character varying(11) NOT NULL,
                "enterprise_size" "public"."enterprise_size",
                CONSTRAINT "pk_measurement_organisation" PRIMARY KEY ("measurement_id", "organisation_number")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement_organisation"
            ADD CONSTRAINT "fk_measurement_organisation__measurement_id" FOREIGN KEY ("measurement_id") REFERENCES "measurement"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "measurement_organisation"`);
    await queryRunner.query(`DROP TYPE "public"."enterprise_size"`);
    await queryRunner.query(`DROP INDEX "public"."uq_actor__organisation_number"`);
    await queryRunner.query(`ALTER TABLE "actor" DROP COLUMN "organisation_number"`);
  }
}
