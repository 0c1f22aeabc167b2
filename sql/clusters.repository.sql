-- The SQL that ClustersRepository (src/clusters/clusters.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ClustersRepository.list: the live clusters of an editor key
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = 50
-- $3 = 0
SELECT c.*,
  count(*) OVER () AS total_count
FROM "cluster" c
WHERE c.id = ANY($1)
  AND c.archived_at IS NULL
ORDER BY c.name ASC,
  c.id
LIMIT $2 OFFSET $3;

-- ClustersRepository.list: the clusters of a region as they were, newest first, for an admin key
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "Gävleborg"
-- $3 = "formation"
-- $4 = "%skog%"
-- $5 = 20
-- $6 = 0
SELECT c.*,
  count(*) OVER () AS total_count
FROM (
    SELECT s.*
    FROM "cluster" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"cluster", r.state) s
    WHERE TRUE
  ) c
WHERE TRUE
  AND lower(c.region) = lower($2)
  AND c.phase = $3
  AND c.name ILIKE $4 ESCAPE '\'
     ORDER BY c.created_at DESC, c.id LIMIT $5 OFFSET $6;

-- ClustersRepository.fundersOf: the funders of two clusters, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "00000000-0000-4000-8000-00000000f001"
SELECT DISTINCT fd.cluster_id,
  f.id AS funder_id,
  f.name,
  f.kind
FROM "funding" fd
  JOIN funder f ON f.id = fd.funder_id
WHERE fd.cluster_id IN ($1, $2)
  AND fd.archived_at IS NULL
  AND fd.funder_id = $3
ORDER BY f.name,
  f.id;

-- ClustersRepository.fundersOf: the funders of a cluster as they were, for an admin key
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c001"
SELECT DISTINCT fd.cluster_id,
  f.id AS funder_id,
  f.name,
  f.kind
FROM (
    SELECT s.*
    FROM "funding" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"funding", r.state) s
    WHERE live.cluster_id IN ($2)
  ) fd
  JOIN LATERAL (
    SELECT s.*
    FROM "funder" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"funder", r.state) s
    WHERE live.id = fd.funder_id
  ) f ON f.id = fd.funder_id
WHERE fd.cluster_id IN ($3)
  AND fd.archived_at IS NULL
  AND TRUE
ORDER BY f.name,
  f.id;

-- ClustersRepository.find: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT "c"."version" AS "c_version",
  "c"."created_at" AS "c_created_at",
  "c"."updated_at" AS "c_updated_at",
  "c"."archived_at" AS "c_archived_at",
  "c"."id" AS "c_id",
  "c"."name" AS "c_name",
  "c"."name_key" AS "c_name_key",
  "c"."region" AS "c_region",
  "c"."phase" AS "c_phase",
  "c"."focus_area" AS "c_focus_area",
  "c"."vision" AS "c_vision",
  "c"."purpose" AS "c_purpose",
  "c"."public_badge" AS "c_public_badge",
  "c"."update_cadence_days" AS "c_update_cadence_days"
FROM "cluster" "c"
WHERE "c"."id" = $1
  AND "c"."id" = ANY($2);

-- ClustersRepository.find: a cluster to change, locked
-- $1 = "00000000-0000-4000-8000-00000000c001"
SELECT "c"."version" AS "c_version",
  "c"."created_at" AS "c_created_at",
  "c"."updated_at" AS "c_updated_at",
  "c"."archived_at" AS "c_archived_at",
  "c"."id" AS "c_id",
  "c"."name" AS "c_name",
  "c"."name_key" AS "c_name_key",
  "c"."region" AS "c_region",
  "c"."phase" AS "c_phase",
  "c"."focus_area" AS "c_focus_area",
  "c"."vision" AS "c_vision",
  "c"."purpose" AS "c_purpose",
  "c"."public_badge" AS "c_public_badge",
  "c"."update_cadence_days" AS "c_update_cadence_days"
FROM "cluster" "c"
WHERE "c"."id" = $1
  AND TRUE FOR
UPDATE;

-- ClustersRepository.readable: a cluster, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT "c"."version" AS "c_version",
  "c"."created_at" AS "c_created_at",
  "c"."updated_at" AS "c_updated_at",
  "c"."archived_at" AS "c_archived_at",
  "c"."id" AS "c_id",
  "c"."name" AS "c_name",
  "c"."name_key" AS "c_name_key",
  "c"."region" AS "c_region",
  "c"."phase" AS "c_phase",
  "c"."focus_area" AS "c_focus_area",
  "c"."vision" AS "c_vision",
  "c"."purpose" AS "c_purpose",
  "c"."public_badge" AS "c_public_badge",
  "c"."update_cadence_days" AS "c_update_cadence_days"
FROM "cluster" "c"
WHERE "c"."id" = $1
  AND "c"."id" IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $2
      AND fv.archived_at IS NULL
  );

-- ClustersRepository.lockArchived: a cluster, share-locked
-- $1 = "00000000-0000-4000-8000-00000000c001"
SELECT archived_at IS NOT NULL AS archived
FROM cluster
WHERE id = $1 FOR SHARE;

-- ClustersRepository.existing: two ids
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
SELECT "c"."id" AS "id"
FROM "cluster" "c"
WHERE "c"."id" IN ($1, $2);

-- ClustersRepository.insert: a new cluster
-- $1 = "Skogsklustret"
-- $2 = "skogsklustret"
-- $3 = "Gävleborg"
-- $4 = "initiation"
-- $5 = false
INSERT INTO "cluster" AS "Cluster"(
    "version",
    "created_at",
    "updated_at",
    "archived_at",
    "id",
    "name",
    "name_key",
    "region",
    "phase",
    "focus_area",
    "vision",
    "purpose",
    "public_badge",
    "update_cadence_days"
  )
VALUES (
    DEFAULT,
    DEFAULT,
    DEFAULT,
    DEFAULT,
    DEFAULT,
    $1,
    $2,
    $3,
    $4,
    DEFAULT,
    DEFAULT,
    DEFAULT,
    $5,
    DEFAULT
  )
RETURNING *;
