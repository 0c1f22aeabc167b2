-- The SQL that ActorsRepository (src/actors/actors.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ActorsRepository.list: a cluster's live actors
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = 50
-- $3 = 0
SELECT a.*,
  count(*) OVER () AS total_count
FROM "actor" a
WHERE a.cluster_id = $1
  AND a.archived_at IS NULL
ORDER BY a.name ASC,
  a.name,
  a.id
LIMIT $2 OFFSET $3;

-- ActorsRepository.list: a cluster's engaged companies as they were, by engagement
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "company"
-- $4 = "inner"
-- $5 = "engaged"
-- $6 = "%såg%"
-- $7 = 50
-- $8 = 0
SELECT a.*,
  count(*) OVER () AS total_count
FROM (
    SELECT s.*
    FROM "actor" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"actor", r.state) s
    WHERE live.cluster_id = $2
  ) a
WHERE a.cluster_id = $2
  AND a.kind = $3
  AND a.core = $4
  AND a.engagement = $5
  AND a.name ILIKE $6 ESCAPE '\'
     ORDER BY a.engagement DESC, a.name, a.id LIMIT $7 OFFSET $8;

-- ActorsRepository.current: a cluster's actors now
-- $1 = "00000000-0000-4000-8000-00000000c001"
SELECT a.*
FROM "actor" a
WHERE a.cluster_id = $1
  AND a.archived_at IS NULL
ORDER BY a.name,
  a.id;

-- ActorsRepository.current: a cluster's actors as they were
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
SELECT a.*
FROM (
    SELECT s.*
    FROM "actor" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"actor", r.state) s
    WHERE live.cluster_id = $2
  ) a
WHERE a.cluster_id = $2
  AND a.archived_at IS NULL
ORDER BY a.name,
  a.id;

-- ActorsRepository.read: an actor, for an editor key
-- $1 = "00000000-0000-4000-8000-0000000ac701"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT a.*
FROM "actor" a
WHERE a.id = $1
  AND a.cluster_id = ANY($2);

-- ActorsRepository.read: an actor as it was, for a funder key
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-0000000ac701"
-- $3 = "00000000-0000-4000-8000-00000000f001"
SELECT a.*
FROM (
    SELECT s.*
    FROM "actor" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"actor", r.state) s
    WHERE live.id = $2
  ) a
WHERE a.id = $2
  AND a.cluster_id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $3
      AND fv.archived_at IS NULL
  );

-- ActorsRepository.forWrite: an actor to change
-- $1 = "00000000-0000-4000-8000-0000000ac701"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT a.*,
  c.archived_at IS NOT NULL AS cluster_archived
FROM actor a
  JOIN cluster c ON c.id = a.cluster_id
WHERE a.id = $1
  AND a.cluster_id = ANY($2) FOR
UPDATE OF a FOR SHARE OF c;

-- ActorsRepository.insert: a new actor
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "Sågverket AB"
-- $3 = "company"
-- $4 = "inner"
-- $5 = "identified"
-- $6 = null
-- $7 = null
INSERT INTO "actor"(
    "version",
    "created_at",
    "updated_at",
    "archived_at",
    "id",
    "cluster_id",
    "name",
    "kind",
    "core",
    "engagement",
    "role",
    "organisation_number"
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
    $5,
    $6,
    $7
  )
RETURNING *;

-- ActorsRepository.update: a new engagement
-- $1 = "committed"
-- $2 = 4
-- $3 = "00000000-0000-4000-8000-0000000ac701"
-- $4 = "committed"
UPDATE "actor"
SET "engagement" = $1,
  "version" = $2,
  "updated_at" = CURRENT_TIMESTAMP
WHERE "id" = $3
  AND (
    "engagement" IS DISTINCT
    FROM $4
  )
RETURNING *;

-- ActorsRepository.archive: an actor
-- $1 = "00000000-0000-4000-8000-0000000ac701"
UPDATE "actor"
SET "archived_at" = now(),
  "version" = "version" + 1,
  "updated_at" = CURRENT_TIMESTAMP
WHERE "id" = $1;

-- ActorsRepository.recordEngagement: an entry
-- $1 = "00000000-0000-4000-8000-0000000ac701"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "company"
-- $4 = "inner"
-- $5 = "engaged"
-- $6 = false
-- $7 = "example editor key"
-- $8 = "00000000-0000-4000-8000-00000000a001"
INSERT INTO "actor_engagement"(
    "id",
    "seq",
    "actor_id",
    "cluster_id",
    "kind",
    "core",
    "engagement",
    "archived",
    "author",
    "author_key_id",
    "created_at"
  )
VALUES (
    DEFAULT,
    DEFAULT,
    $1,
    $2,
    $3,
    $4,
    $5,
    $6,
    $7,
    $8,
    DEFAULT
  )
RETURNING "id",
  "seq",
  "archived",
  "created_at";
