import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A goal's indicator may adopt a programme indicator definition, and each measurement keeps the definition its
 * goal had when it was recorded, so that a goal that later adopts another definition (or none) never moves its
 * earlier values into the new one's totals. Existing goals and measurements adopt nothing.
 *
 * Adopting freezes what the definition measures: the trigger marks the definition adopted in the goal's own
 * write, waiting for any change of the definition in flight, and refuses a goal whose unit is not the
 * definition's as committed (a change of the unit that raced the adoption).
 */
export class IndicatorAdoption1796700000001 implements MigrationInterface {
  name = 'IndicatorAdoption1796700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "goal" ADD "indicator_definition_id" uuid`);
    await queryRunner.query(`ALTER TABLE "measurement" ADD "definition_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "goal" ADD CONSTRAINT "ck_goal__indicator_definition_id" CHECK (indicator_definition_id IS NULL OR indicator_unit IS NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_goal__indicator_definition_id" ON "goal" ("indicator_definition_id")`);
    await queryRunner.query(`CREATE INDEX "ix_measurement__definition_id_goal_id" ON "measurement" ("definition_id", "goal_id")`);
    await queryRunner.query(`
            ALTER TABLE "goal"
            ADD CONSTRAINT "fk_goal__indicator_definition_id" FOREIGN KEY ("indicator_definition_id") REFERENCES "indicator_definition"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement"
            ADD CONSTRAINT "fk_measurement__definition_id" FOREIGN KEY ("definition_id") REFERENCES "indicator_definition"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE FUNCTION "goal_adopts_definition"() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              definition_unit varchar;
            BEGIN
              IF NEW.indicator_definition_id IS NOT NULL
                 AND (TG_OP = 'INSERT' OR NEW.indicator_definition_id IS DISTINCT FROM OLD.indicator_definition_id
                      OR NEW.indicator_unit IS DISTINCT FROM OLD.indicator_unit) THEN
                UPDATE indicator_definition SET adopted_at = COALESCE(adopted_at, now())
                WHERE id = NEW.indicator_definition_id RETURNING unit INTO definition_unit;
                IF definition_unit IS DISTINCT FROM NEW.indicator_unit THEN
                  RAISE EXCEPTION 'the indicator''s unit is not its definition''s'
                    USING ERRCODE = '23514', CONSTRAINT = 'ck_goal__indicator_definition_id', TABLE = 'goal';
                END IF;
              END IF;
              RETURN NEW;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_goal__adopts_definition" BEFORE INSERT OR UPDATE OF indicator_definition_id, indicator_unit ON "goal"
            FOR EACH ROW EXECUTE FUNCTION "goal_adopts_definition"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_goal__adopts_definition" ON "goal"`);
    await queryRunner.query(`DROP FUNCTION "goal_adopts_definition"()`);
    await queryRunner.query(`ALTER TABLE "measurement" DROP CONSTRAINT "fk_measurement__definition_id"`);
    await queryRunner.query(`ALTER TABLE "goal" DROP CONSTRAINT "fk_goal__indicator_definition_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_measurement__definition_id_goal_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_goal__indicator_definition_id"`);
    await queryRunner.query(`ALTER TABLE "goal" DROP CONSTRAINT "ck_goal__indicator_definition_id"`);
    await queryRunner.query(`ALTER TABLE "measurement" DROP COLUMN "definition_id"`);
    await queryRunner.query(`ALTER TABLE "goal" DROP COLUMN "indicator_definition_id"`);
  }
}
