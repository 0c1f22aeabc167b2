import { MigrationInterface, QueryRunner } from 'typeorm';

export class ActionPlan1795783438849 implements MigrationInterface {
  name = 'ActionPlan1795783438849';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."goal_horizon" AS ENUM('short_term', 'long_term')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."goal_perspective" AS ENUM('business', 'public_sector', 'academia')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."traffic_light" AS ENUM('green', 'yellow', 'red')
        `);
    await queryRunner.query(`
            CREATE TABLE "goal" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "description" character varying(5000),
                "horizon" "public"."goal_horizon" NOT NULL,
                "perspective" "public"."goal_perspective",
                "contributes_to_goal_id" uuid,
                "due_date" date,
                "indicator_unit" character varying(200),
                "indicator_baseline" numeric,
                "indicator_target" numeric,
                "status" "public"."traffic_light" NOT NULL DEFAULT 'green',
                CONSTRAINT "ck_goal__contributes_to_goal_id" CHECK (
                    contributes_to_goal_id IS NULL
                    OR (
                        horizon = 'short_term'
                        AND contributes_to_goal_id <> id
                    )
                ),
                CONSTRAINT "ck_goal__indicator" CHECK (
                    (indicator_unit IS NULL) = (indicator_baseline IS NULL)
                    AND (indicator_unit IS NULL) = (indicator_target IS NULL)
                ),
                CONSTRAINT "pk_goal" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_goal__contributes_to_goal_id" ON "goal" ("contributes_to_goal_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_goal__cluster_id" ON "goal" ("cluster_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."item_state" AS ENUM('planned', 'ongoing', 'done', 'cancelled')
        `);
    await queryRunner.query(`
            CREATE TABLE "activity" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "description" character varying(5000),
                "owner" character varying(200),
                "goal_id" uuid,
                "start_date" date,
                "due_date" date,
                "state" "public"."item_state" NOT NULL DEFAULT 'planned',
                "status" "public"."traffic_light" NOT NULL DEFAULT 'green',
                "completed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "ck_activity__due_date" CHECK (
                    start_date IS NULL
                    OR due_date IS NULL
                    OR start_date <= due_date
                ),
                CONSTRAINT "pk_activity" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_activity__goal_id" ON "activity" ("goal_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_activity__cluster_id_due_date" ON "activity" ("cluster_id", "due_date")
        `);
    await queryRunner.query(`
            CREATE TABLE "measurement" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "goal_id" uuid NOT NULL,
                "value" numeric NOT NULL,
                "measured_on" date NOT NULL,
                "comment" character varying(5000),
                "author" character varying(200) NOT NULL,
                "author_key_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "pk_measurement" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_measurement__goal_id_measured_on" ON "measurement" ("goal_id", "measured_on", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "low_hanging_fruit" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "what" character varying(200) NOT NULL,
                "when_date" date NOT NULL,
                "how" character varying(5000),
                "owner" character varying(200),
                "goal_id" uuid,
                "state" "public"."item_state" NOT NULL DEFAULT 'planned',
                "status" "public"."traffic_light" NOT NULL DEFAULT 'green',
                "completed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "pk_low_hanging_fruit" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_low_hanging_fruit__goal_id" ON "low_hanging_fruit" ("goal_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_low_hanging_fruit__cluster_id_when_date" ON "low_hanging_fruit" ("cluster_id", "when_date")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."subject_type" AS ENUM('goal', 'activity', 'low_hanging_fruit')
        `);
    await queryRunner.query(`
            CREATE TABLE "status_update" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "subject_type" "public"."subject_type" NOT NULL,
                "subject_id" uuid NOT NULL,
                "cluster_id" uuid NOT NULL,
                "status" "public"."traffic_light" NOT NULL,
                "state" "public"."item_state",
                "comment" character varying(5000),
                "author" character varying(200) NOT NULL,
                "author_key_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "pk_status_update" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_status_update__seq" ON "status_update" ("seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_status_update__cluster_id_created_at" ON "status_update" ("cluster_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_status_update__subject_id_created_at" ON "status_update" ("subject_id", "created_at", "seq")
        `);
    await queryRunner.query(`
            ALTER TABLE "goal"
            ADD CONSTRAINT "fk_goal__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "goal"
            ADD CONSTRAINT "fk_goal__contributes_to_goal_id" FOREIGN KEY ("contributes_to_goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "activity"
            ADD CONSTRAINT "fk_activity__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "activity"
            ADD CONSTRAINT "fk_activity__goal_id" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement"
            ADD CONSTRAINT "fk_measurement__goal_id" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "low_hanging_fruit"
            ADD CONSTRAINT "fk_low_hanging_fruit__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "low_hanging_fruit"
            ADD CONSTRAINT "fk_low_hanging_fruit__goal_id" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "status_update"
            ADD CONSTRAINT "fk_status_update__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // History and measurements are append-only: nothing may change or delete an entry.
    await queryRunner.query(`
            CREATE FUNCTION "forbid_change"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_status_update__append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "status_update"
            FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_measurement__append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "measurement"
            FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_measurement__append_only" ON "measurement"`);
    await queryRunner.query(`DROP TRIGGER "tr_status_update__append_only" ON "status_update"`);
    await queryRunner.query(`DROP FUNCTION "forbid_change"()`);
    await queryRunner.query(`
            ALTER TABLE "status_update" DROP CONSTRAINT "fk_status_update__cluster_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "low_hanging_fruit" DROP CONSTRAINT "fk_low_hanging_fruit__goal_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "low_hanging_fruit" DROP CONSTRAINT "fk_low_hanging_fruit__cluster_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "measurement" DROP CONSTRAINT "fk_measurement__goal_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "activity" DROP CONSTRAINT "fk_activity__goal_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "activity" DROP CONSTRAINT "fk_activity__cluster_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "goal" DROP CONSTRAINT "fk_goal__contributes_to_goal_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "goal" DROP CONSTRAINT "fk_goal__cluster_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_status_update__subject_id_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_status_update__cluster_id_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_status_update__seq"
        `);
    await queryRunner.query(`
            DROP TABLE "status_update"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."subject_type"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_low_hanging_fruit__cluster_id_when_date"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_low_hanging_fruit__goal_id"
        `);
    await queryRunner.query(`
            DROP TABLE "low_hanging_fruit"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_measurement__goal_id_measured_on"
        `);
    await queryRunner.query(`
            DROP TABLE "measurement"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_activity__cluster_id_due_date"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_activity__goal_id"
        `);
    await queryRunner.query(`
            DROP TABLE "activity"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."item_state"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_goal__cluster_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_goal__contributes_to_goal_id"
        `);
    await queryRunner.query(`
            DROP TABLE "goal"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."traffic_light"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."goal_perspective"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."goal_horizon"
        `);
  }
}
