import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795782518626 implements MigrationInterface {
  name = 'Foundation1795782518626';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."cluster_phase" AS ENUM('initiation', 'mobilisation', 'formation', 'organisation')`);
    await queryRunner.query(
      `CREATE TABLE "cluster" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "region" character varying(200) NOT NULL, "phase" "public"."cluster_phase" NOT NULL, "focus_area" character varying(200), "vision" character varying(5000), "purpose" character varying(5000), "public_badge" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "pk_cluster" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cluster__region" ON "cluster"  ("region") `);
    // Names are unique among clusters that are not archived, whatever their case.
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cluster__name" ON "cluster" (lower("name")) WHERE "archived_at" IS NULL`);
    await queryRunner.query(
      `CREATE TYPE "public"."funder_kind" AS ENUM('national_agency', 'regional_council', 'county_council', 'municipality', 'eu_fund', 'private')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."reporting_period" AS ENUM('quarterly', 'half_yearly', 'yearly')`);
    await queryRunner.query(
      `CREATE TABLE "funder" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "kind" "public"."funder_kind" NOT NULL, "reporting_period" "public"."reporting_period" NOT NULL DEFAULT 'yearly', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_funder" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "funding" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "funder_id" uuid NOT NULL, "cluster_id" uuid NOT NULL, "programme" character varying(200) NOT NULL, "amount" numeric(15,2) NOT NULL, "currency" character(3) NOT NULL DEFAULT 'SEK', "starts_on" date NOT NULL, "ends_on" date NOT NULL, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "archived_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_funding__amount" CHECK (amount >= 0), CONSTRAINT "ck_funding__ends_on" CHECK (starts_on <= ends_on), CONSTRAINT "pk_funding" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_funding__cluster_id" ON "funding"  ("cluster_id") `);
    await queryRunner.query(`CREATE INDEX "ix_funding__funder_id_cluster_id" ON "funding"  ("funder_id", "cluster_id") `);
    await queryRunner.query(`CREATE TYPE "public"."api_key_role" AS ENUM('admin', 'editor', 'funder', 'viewer')`);
    await queryRunner.query(
      `CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "role" "public"."api_key_role" NOT NULL, "prefix" character varying(16) NOT NULL, "secret_hash" bytea NOT NULL, "cluster_ids" uuid array NOT NULL DEFAULT '{}', "funder_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_api_key__funder_id" CHECK ((role = 'funder') = (funder_id IS NOT NULL)), CONSTRAINT "ck_api_key__cluster_ids" CHECK ((role = 'editor') = (cardinality(cluster_ids) > 0)), CONSTRAINT "pk_api_key" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_key__secret_hash" ON "api_key"  ("secret_hash") `);
    await queryRunner.query(
      `ALTER TABLE "funding" ADD CONSTRAINT "fk_funding__funder_id" FOREIGN KEY ("funder_id") REFERENCES "funder"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "funding" ADD CONSTRAINT "fk_funding__cluster_id" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "funding" DROP CONSTRAINT "fk_funding__cluster_id"`);
    await queryRunner.query(`ALTER TABLE "funding" DROP CONSTRAINT "fk_funding__funder_id"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_key__secret_hash"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
    await queryRunner.query(`DROP TYPE "public"."api_key_role"`);
    await queryRunner.query(`DROP INDEX "public"."ix_funding__funder_id_cluster_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_funding__cluster_id"`);
    await queryRunner.query(`DROP TABLE "funding"`);
    await queryRunner.query(`DROP TABLE "funder"`);
    await queryRunner.query(`DROP TYPE "public"."reporting_period"`);
    await queryRunner.query(`DROP TYPE "public"."funder_kind"`);
    await queryRunner.query(`DROP INDEX "public"."uq_cluster__name"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cluster__region"`);
    await queryRunner.query(`DROP TABLE "cluster"`);
    await queryRunner.query(`DROP TYPE "public"."cluster_phase"`);
  }
}
