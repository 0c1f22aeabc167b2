import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Backfill of the revisions of rows written before revisions were kept.
 *
 * Plan items: one revision per history entry (the first `created`, the others
 * `status`) at the entry's time, with the status and state the entry gave and
 * the other fields as they are now (the only values known); the last one is
 * the row exactly as it is. Clusters, funders and fundings: one `created`
 * revision at their creation. An archived row also gets an `archived` revision
 * at `archived_at`, so that it counts as not archived before. Versions count
 * up to the row's current version, so that the newest revision is the row.
 * Measurements: one `created` revision each.
 */
function planItemBackfill(subject: string, table: string, state: 'none' | 'state' | 'state and completion'): string {
  const stateFields =
    state === 'state and completion'
      ? `|| jsonb_build_object('state', e.state, 'completed_at',
          CASE WHEN e.state = 'done' THEN COALESCE(e.done_since, e.created_at) END)`
      : state === 'state'
        ? `|| jsonb_build_object('state', e.state)`
        : '';
  return `
    WITH entries AS (
      SELECT su.subject_id, su.status, su.state, su.author, su.author_key_id, su.created_at, su.seq,
             row_number() OVER w AS i,
             count(*) OVER (PARTITION BY su.subject_id) AS k,
             lag(su.state) OVER w AS previous_state
      FROM status_update su
      WHERE su.subject_type = '${subject}'
      WINDOW w AS (PARTITION BY su.subject_id ORDER BY su.created_at, su.seq)
    ),
    entries_done AS (
      SELECT e.*, max(CASE WHEN e.state = 'done' AND e.previous_state IS DISTINCT FROM 'done' THEN e.created_at END)
               OVER (PARTITION BY e.subject_id ORDER BY e.created_at, e.seq) AS done_since
      FROM entries e
    ),
    events AS (
      -- One event per history entry, then the archive.
      SELECT t.id, t.cluster_id, t.version AS current_version, to_jsonb(t) AS current_state,
             e.i, e.k + (t.archived_at IS NOT NULL)::int AS m,
             CASE WHEN e.i = 1 THEN 'created' ELSE 'status' END AS kind,
             to_jsonb(t) || jsonb_build_object('status', e.status, 'archived_at', NULL, 'updated_at', e.created_at) ${stateFields} AS state,
             e.author, e.author_key_id, e.created_at AS recorded_at
      FROM "${table}" t JOIN entries_done e ON e.subject_id = t.id
      UNION ALL
      SELECT t.id, t.cluster_id, t.version, to_jsonb(t), 1, 1 + (t.archived_at IS NOT NULL)::int, 'created',
             to_jsonb(t) || jsonb_build_object('archived_at', NULL, 'updated_at', t.created_at),
             'unknown', NULL, t.created_at
      FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM status_update su WHERE su.subject_id = t.id)
      UNION ALL
      SELECT t.id, t.cluster_id, t.version, to_jsonb(t),
             1 + GREATEST(1, (SELECT count(*) FROM status_update su WHERE su.subject_id = t.id)) AS i, NULL, 'archived',
             to_jsonb(t), 'unknown', NULL, t.archived_at
      FROM "${table}" t WHERE t.archived_at IS NOT NULL
    )
    INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, author_key_id, recorded_at)
    SELECT pg_current_xact_id()::text::bigint, '${subject}', ev.id, ev.cluster_id, v.version, ev.kind::revision_kind,
           CASE WHEN ev.i = COALESCE(ev.m, ev.i) THEN ev.current_state ELSE ev.state || jsonb_build_object('version', v.version) END,
           ev.author, ev.author_key_id, date_trunc('milliseconds', ev.recorded_at)
    FROM events ev
    CROSS JOIN LATERAL (SELECT GREATEST(ev.i, ev.current_version - COALESCE(ev.m, ev.i) + ev.i) AS version) v
    ORDER BY ev.recorded_at, ev.i`;
}

function resourceBackfill(subject: string, table: string, cluster: string, archivable: boolean): string {
  const created = `
    SELECT t.id, ${cluster} AS cluster_id, 'created' AS kind,
           ${archivable ? `CASE WHEN t.archived_at IS NULL THEN t.version ELSE GREATEST(1, t.version - 1) END` : 't.version'} AS version,
           ${
             archivable
               ? `CASE WHEN t.archived_at IS NULL THEN to_jsonb(t)
                       ELSE to_jsonb(t) || jsonb_build_object('archived_at', NULL, 'updated_at', t.created_at,
                                                              'version', GREATEST(1, t.version - 1)) END`
               : 'to_jsonb(t)'
           } AS state,
           t.created_at AS recorded_at
    FROM "${table}" t`;
  const archived = archivable
    ? `UNION ALL
       SELECT t.id, ${cluster}, 'archived', t.version, to_jsonb(t), t.archived_at FROM "${table}" t WHERE t.archived_at IS NOT NULL`
    : '';
  return `
    INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, author_key_id, recorded_at)
    SELECT pg_current_xact_id()::text::bigint, '${subject}', ev.id, ev.cluster_id, ev.version, ev.kind::revision_kind, ev.state,
           'unknown', NULL, date_trunc('milliseconds', ev.recorded_at)
    FROM (${created} ${archived}) ev
    ORDER BY ev.recorded_at, ev.version`;
}

/**
 * The statements that backfill the revisions of every row in the database,
 * in order. Also what the benchmark's seed runs after loading its data, so
 * that its revisions are what this migration makes of existing data.
 */
export function revisionBackfill(): string[] {
  return [
    resourceBackfill('cluster', 'cluster', 't.id', true),
    resourceBackfill('funder', 'funder', 'NULL::uuid', false),
    resourceBackfill('funding', 'funding', 't.cluster_id', true),
    planItemBackfill('goal', 'goal', 'none'),
    planItemBackfill('activity', 'activity', 'state and completion'),
    planItemBackfill('low_hanging_fruit', 'low_hanging_fruit', 'state and completion'),
    planItemBackfill('risk', 'risk', 'state'),
    resourceBackfill('actor', 'actor', 't.cluster_id', true),
    `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, author_key_id, recorded_at)
     SELECT pg_current_xact_id()::text::bigint, 'measurement', m.id, g.cluster_id, 1, 'created', to_jsonb(m),
            m.author, m.author_key_id, date_trunc('milliseconds', m.created_at)
     FROM measurement m JOIN goal g ON g.id = m.goal_id
     ORDER BY m.created_at, m.id`,
  ];
}

export class Revisions1796200000000 implements MigrationInterface {
  name = 'Revisions1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."revision_subject" AS ENUM(
                'cluster', 'goal', 'measurement', 'activity', 'low_hanging_fruit', 'risk', 'actor', 'funder', 'funding'
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."revision_kind" AS ENUM('created', 'updated', 'status', 'archived')
        `);
    await queryRunner.query(`
            CREATE TABLE "revision" (
                "position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "xid" bigint NOT NULL,
                "subject_type" "public"."revision_subject" NOT NULL,
                "subject_id" uuid NOT NULL,
                "cluster_id" uuid,
                "version" integer NOT NULL,
                "kind" "public"."revision_kind" NOT NULL,
                "state" jsonb NOT NULL,
                "author" character varying(200) NOT NULL,
                "author_key_id" uuid,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "pk_revision" PRIMARY KEY ("position")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_revision__subject_id_recorded_at" ON "revision" ("subject_id", "recorded_at", "position")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_revision__cluster_id_recorded_at" ON "revision" ("cluster_id", "recorded_at")
        `);
    await queryRunner.query(`
            CREATE TRIGGER "tr_revision__append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "revision"
            FOR EACH STATEMENT EXECUTE FUNCTION "forbid_change"()
        `);
    for (const statement of revisionBackfill()) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "tr_revision__append_only" ON "revision"`);
    await queryRunner.query(`DROP INDEX "public"."ix_revision__cluster_id_recorded_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_revision__subject_id_recorded_at"`);
    await queryRunner.query(`DROP TABLE "revision"`);
    await queryRunner.query(`DROP TYPE "public"."revision_kind"`);
    await queryRunner.query(`DROP TYPE "public"."revision_subject"`);
  }
}
