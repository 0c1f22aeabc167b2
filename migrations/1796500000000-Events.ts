import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events feed reads revisions in the order of (xid, position), only below
 * the oldest transaction still in progress: one index on exactly that order.
 * Each revision gets an event id (the `webhook-id` its deliveries carry), and
 * a statement trigger wakes waiting feed readers when revisions commit.
 */
export class Events1796500000000 implements MigrationInterface {
  name = 'Events1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "revision" ADD "event_id" uuid NOT NULL DEFAULT gen_random_uuid()`);
    await queryRunner.query(`CREATE INDEX "ix_revision__xid_position" ON "revision" ("xid", "position")`);
    await queryRunner.query(`
      CREATE FUNCTION revision_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('styrman_revision', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tr_revision__notify" AFTER INSERT ON "revision"
      FOR EACH STATEMENT EXECUTE FUNCTION revision_notify()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_revision__notify" ON "revision"`);
    await queryRunner.query(`DROP FUNCTION revision_notify()`);
    await queryRunner.query(`DROP INDEX "public"."ix_revision__xid_position"`);
    await queryRunner.query(`ALTER TABLE "revision" DROP COLUMN "event_id"`);
  }
}
