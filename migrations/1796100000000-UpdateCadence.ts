import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How often a cluster means to look at its lights: an item with no status
 * update for longer than this many days is `stale` (GET /needs-update).
 */
export class UpdateCadence1796100000000 implements MigrationInterface {
  name = 'UpdateCadence1796100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cluster" ADD "update_cadence_days" integer NOT NULL DEFAULT '30'`);
    await queryRunner.query(
      `ALTER TABLE "cluster" ADD CONSTRAINT "ck_cluster__update_cadence_days" CHECK (update_cadence_days BETWEEN 1 AND 365)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cluster" DROP CONSTRAINT "ck_cluster__update_cadence_days"`);
    await queryRunner.query(`ALTER TABLE "cluster" DROP COLUMN "update_cadence_days"`);
  }
}
