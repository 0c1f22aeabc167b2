-- The SQL that NarrativesRepository (src/narratives/narratives.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- NarrativesRepository.find: a period
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-Q2"
SELECT n.*
FROM "narrative" n
WHERE n.cluster_id = $1
  AND n.period = $2;

-- NarrativesRepository.find: a period as it was
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "2026-Q2"
SELECT n.*
FROM (
    SELECT s.*
    FROM "narrative" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"narrative", r.state) s
    WHERE live.cluster_id = $2
      AND live.period = $3
  ) n
WHERE n.cluster_id = $2
  AND n.period = $3;

-- NarrativesRepository.list: the first page
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = 20
-- $3 = 0
SELECT n.*,
  count(*) OVER () AS total_count
FROM "narrative" n
WHERE n.cluster_id = $1
ORDER BY n.first_day DESC,
  n.last_day DESC
LIMIT $2 OFFSET $3;

-- NarrativesRepository.list: a page as it was
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = 20
-- $4 = 20
SELECT n.*,
  count(*) OVER () AS total_count
FROM (
    SELECT s.*
    FROM "narrative" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"narrative", r.state) s
    WHERE live.cluster_id = $2
  ) n
WHERE n.cluster_id = $2
ORDER BY n.first_day DESC,
  n.last_day DESC
LIMIT $3 OFFSET $4;

-- NarrativesRepository.list: a page as it was
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
SELECT count(*) AS n
FROM (
    SELECT s.*
    FROM "narrative" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"narrative", r.state) s
    WHERE live.cluster_id = $2
  ) n
WHERE n.cluster_id = $2;

-- NarrativesRepository.lockCluster: a cluster
-- $1 = "00000000-0000-4000-8000-00000000c001"
SELECT archived_at IS NOT NULL AS archived
FROM cluster
WHERE id = $1 FOR SHARE;

-- NarrativesRepository.locked: a period
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-Q2"
SELECT *
FROM narrative
WHERE cluster_id = $1
  AND period = $2 FOR
UPDATE;

-- NarrativesRepository.insert: a first narrative
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-Q2"
-- $3 = "2026-04-01"
-- $4 = "2026-06-30"
-- $5 = "Två nya medlemmar."
-- $6 = null
-- $7 = null
-- $8 = "Workshop i augusti."
INSERT INTO narrative (
    cluster_id,
    period,
    first_day,
    last_day,
    summary,
    results,
    deviations,
    next_steps
  )
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (cluster_id, period) DO NOTHING
RETURNING *;

-- NarrativesRepository.update: new text
-- $1 = "Två nya medlemmar."
-- $2 = "Tre ansökningar."
-- $3 = null
-- $4 = "Workshop i augusti."
-- $5 = "00000000-0000-4000-8000-00000000aa01"
-- $6 = "Två nya medlemmar."
-- $7 = "Tre ansökningar."
-- $8 = null
-- $9 = "Workshop i augusti."
UPDATE "narrative"
SET "summary" = $1,
  "results" = $2,
  "deviations" = $3,
  "next_steps" = $4,
  "version" = "version" + 1,
  "updated_at" = CURRENT_TIMESTAMP
WHERE "id" = $5
  AND (
    "summary" IS DISTINCT
    FROM $6
      OR "results" IS DISTINCT
    FROM $7
      OR "deviations" IS DISTINCT
    FROM $8
      OR "next_steps" IS DISTINCT
    FROM $9
  )
RETURNING *;
