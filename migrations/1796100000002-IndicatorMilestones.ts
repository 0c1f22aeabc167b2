import { MigrationInterface, QueryRunner } from 'typeorm';

/** A goal's indicator milestones, `[{ "on": "2026-12-31", "target": 1250 }]` in date order; null when it has none. */
export class IndicatorMilestones1796100000002 implements MigrationInterface {
  name = 'IndicatorMilestones1796100000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "goal" ADD "indicator_milestones" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "goal" DROP COLUMN "indicator_milestones"`);
  }
}
