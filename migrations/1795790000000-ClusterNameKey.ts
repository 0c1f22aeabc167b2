import { MigrationInterface, QueryRunner } from 'typeorm';
import { foldName } from '../src/common/text.js';

/**
 * Cluster names are unique by a folded form (NFKC, case folded, invisible
 * characters removed, whitespace collapsed) rather than by lower(name), so
 * that "Findit" and "Find\u200bit" cannot both be open. Clusters that already
 * share a folded name keep working: all but the oldest get a key made unique
 * by their id (rename them to make the rule hold for them too).
 */
export class ClusterNameKey1795790000000 implements MigrationInterface {
  name = 'ClusterNameKey1795790000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cluster" ADD "name_key" character varying(1000)`);
    const rows = (await queryRunner.query(
      `SELECT id, name, archived_at IS NOT NULL AS archived FROM "cluster" ORDER BY created_at, id`,
    )) as { id: string; name: string; archived: boolean }[];
    const open = new Set<string>();
    for (const row of rows) {
      let key = foldName(row.name);
      if (!row.archived) {
        if (open.has(key)) key = `${key} ${row.id}`;
        open.add(key);
      }
      await queryRunner.query(`UPDATE "cluster" SET "name_key" = $2 WHERE id = $1`, [row.id, key]);
    }
    await queryRunner.query(`ALTER TABLE "cluster" ALTER COLUMN "name_key" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."uq_cluster__name"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cluster__name" ON "cluster" ("name_key") WHERE "archived_at" IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_cluster__name"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_cluster__name" ON "cluster" (lower("name")) WHERE "archived_at" IS NULL`);
    await queryRunner.query(`ALTER TABLE "cluster" DROP COLUMN "name_key"`);
  }
}
