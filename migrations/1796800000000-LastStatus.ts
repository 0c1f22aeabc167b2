import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `last_status`: one row per plan item with a history, holding the time of its newest history entry (the creation
 * counts) and its cluster. The dashboard's stale count and GET /needs-update read this row per item instead of every
 * history entry within each cluster's cadence, so their cost follows the size of the plan, not how often it is written.
 *
 * The row is kept by the insert into `status_update` itself (an AFTER INSERT trigger, in the same transaction), so
 * every writer of the history keeps it: the status update, a new item, the demo's story, a backfilled history. A
 * back-dated entry never moves it backwards: the newest entry is the one with the greatest `created_at`.
 */
export class LastStatus1796800000000 implements MigrationInterface {
  name = 'LastStatus1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "last_status" (
        "subject_id" uuid NOT NULL,
        "cluster_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_last_status" PRIMARY KEY ("subject_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_last_status__cluster_id_created_at" ON "last_status" ("cluster_id", "created_at")`);
    await queryRunner.query(`
      CREATE FUNCTION status_update_last_status() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO last_status (subject_id, cluster_id, created_at) VALUES (NEW.subject_id, NEW.cluster_id, NEW.created_at)
        ON CONFLICT (subject_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, created_at = EXCLUDED.created_at
        WHERE last_status.created_at <= EXCLUDED.created_at;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "tr_status_update__last_status" AFTER INSERT ON "status_update"
      FOR EACH ROW EXECUTE FUNCTION status_update_last_status()`);
    await queryRunner.query(lastStatusBackfill());
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_status_update__last_status" ON "status_update"`);
    await queryRunner.query(`DROP FUNCTION status_update_last_status()`);
    await queryRunner.query(`DROP TABLE "last_status"`);
  }
}

/** Each item's newest history entry, as the trigger would have kept it (also used by the benchmark's seed after COPY). */
export function lastStatusBackfill(): string {
  return `
    INSERT INTO last_status (subject_id, cluster_id, created_at)
    SELECT DISTINCT ON (su.subject_id) su.subject_id, su.cluster_id, su.created_at
    FROM status_update su ORDER BY su.subject_id, su.created_at DESC, su.seq DESC
    ON CONFLICT (subject_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, created_at = EXCLUDED.created_at`;
}
