import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risks (a plan item with its own states and a score kept by a trigger) and
 * actors (organisations of the stakeholder analysis) with the append-only
 * history of their kind, core and engagement. The history of plan items keeps
 * the states of every kind: its `state` column moves from `item_state` to
 * `plan_item_state` (activities' and fruits' states, then risks').
 */
export class RisksAndActors1796016905129 implements MigrationInterface {
  name = 'RisksAndActors1796016905129';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."risk_state" AS ENUM('open', 'mitigated', 'occurred', 'closed')`);
    await queryRunner.query(`
            CREATE TABLE "risk" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "cause" character varying(5000),
                "response" character varying(5000),
                "likelihood" smallint NOT NULL,
                "impact" smallint NOT NULL,
                "score" smallint NOT NULL,
                "owner" character varying(200),
                "goal_id" uuid,
                "state" "public"."risk_state" NOT NULL DEFAULT 'open',
                "status" "public"."traffic_light" NOT NULL DEFAULT 'green',
                CONSTRAINT "ck_risk__score" CHECK (score = likelihood * impact),
                CONSTRAINT "ck_risk__impact" CHECK (impact BETWEEN 1 AND 5),
                CONSTRAINT "ck_risk__likelihood" CHECK (likelihood BETWEEN 1 AND 5),
                CONSTRAINT "pk_risk" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "ix_risk__goal_id" ON "risk" ("goal_id")`);
    await queryRunner.query(`CREATE INDEX "ix_risk__cluster_id_score" ON "risk" ("cluster_id", "score")`);
    // The score is read-only: whatever an INSERT or UPDATE says, it is likelihood × impact.
    await queryRunner.query(`
            CREATE FUNCTION "risk_score"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.score := NEW.likelihood * NEW.impact;
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_risk__score" BEFORE INSERT OR UPDATE ON "risk"
            FOR EACH ROW EXECUTE FUNCTION "risk_score"()
        `);
    await queryRunner.query(`CREATE TYPE "public"."actor_kind" AS ENUM('company', 'academia', 'public_sector', 'civil_society', 'other')`);
    await queryRunner.query(`CREATE TYPE "public"."actor_core" AS ENUM('inner', 'outer')`);
    await queryRunner.query(`CREATE TYPE "public"."engagement" AS ENUM('identified', 'contacted', 'engaged', 'committed')`);
    await queryRunner.query(`
            CREATE TABLE "actor" (
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "cluster_id" uuid NOT NULL,
                "name" character varying(200) NOT NULL,
                "kind" "public"."actor_kind" NOT NULL,
                "core" "public"."actor_core" NOT NULL,
                "engagement" "public"."engagement" NOT NULL DEFAULT 'identified',
                "role" character varying(5000),
                CONSTRAINT "pk_actor" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "ix_actor__cluster_id_name" ON "actor" ("cluster_id", "name")`);
    await queryRunner.query(`
            CREATE TABLE "actor_engagement" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "actor_id" uuid NOT NULL,
                "cluster_id" uuid NOT NULL,
                "kind" "public"."actor_kind" NOT NULL,
                "core" "public"."actor_core" NOT NULL,
                "engagement" "public"."engagement" NOT NULL,
                "archived" boolean NOT NULL DEFAULT false,
                "author" character varying(200) NOT NULL,
                "author_key_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "pk_actor_engagement" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_actor_engagement__seq" ON "actor_engagement" ("seq")`);
    await queryRunner.query(`CREATE INDEX "ix_actor_engagement__cluster_id_created_at" ON "actor_engagement" ("cluster_id", "created_at")`);
    await queryRunner.query(
      `CREATE INDEX "ix_actor_engagement__actor_id_created_at" ON "actor_engagement" ("actor_id", "created_at", "seq")`,
    );
    await queryRunner.query(`
            CREATE TRIGGER "tr_actor_engagement__append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "actor_engagement"
            FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"()
        `);
    await queryRunner.query(`ALTER TYPE "public"."subject_type" ADD VALUE 'risk'`);
    await queryRunner.query(`
            CREATE TYPE "public"."plan_item_state" AS ENUM('planned', 'ongoing', 'done', 'cancelled', 'open', 'mitigated', 'occurred', 'closed')
        `);
    // The history is append-only, but changing the type of a column fires no UPDATE trigger: the entries stay as they were.
    await queryRunner.query(`
            ALTER TABLE "status_update"
            ALTER COLUMN "state" TYPE "public"."plan_item_state" USING "state"::"text"::"public"."plan_item_state"
        `);
    await queryRunner.query(`
            ALTER TABLE "risk"
            ADD CONSTRAINT "fk_risk__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "risk"
            ADD CONSTRAINT "fk_risk__goal_id" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "actor"
            ADD CONSTRAINT "fk_actor__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "actor_engagement"
            ADD CONSTRAINT "fk_actor_engagement__actor_id" FOREIGN KEY ("actor_id") REFERENCES "actor"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "actor_engagement"
            ADD CONSTRAINT "fk_actor_engagement__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "status_update"
            ALTER COLUMN "state" TYPE "public"."item_state" USING "state"::"text"::"public"."item_state"
        `);
    await queryRunner.query(`DROP TYPE "public"."plan_item_state"`);
    await queryRunner.query(`CREATE TYPE "public"."subject_type_old" AS ENUM('goal', 'activity', 'low_hanging_fruit')`);
    await queryRunner.query(`
            ALTER TABLE "status_update"
            ALTER COLUMN "subject_type" TYPE "public"."subject_type_old" USING "subject_type"::"text"::"public"."subject_type_old"
        `);
    await queryRunner.query(`DROP TYPE "public"."subject_type"`);
    await queryRunner.query(`ALTER TYPE "public"."subject_type_old" RENAME TO "subject_type"`);
    await queryRunner.query(`DROP TABLE "actor_engagement"`);
    await queryRunner.query(`DROP TABLE "actor"`);
    await queryRunner.query(`DROP TYPE "public"."engagement"`);
    await queryRunner.query(`DROP TYPE "public"."actor_core"`);
    await queryRunner.query(`DROP TYPE "public"."actor_kind"`);
    await queryRunner.query(`DROP TABLE "risk"`);
    await queryRunner.query(`DROP FUNCTION "risk_score"()`);
    await queryRunner.query(`DROP TYPE "public"."risk_state"`);
  }
}
