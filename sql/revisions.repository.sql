-- The SQL that RevisionsRepository (src/revisions/revisions.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- RevisionsRepository.visible: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT 1
FROM "cluster" t
WHERE t.id = $1
  AND t.id = ANY($2);

-- RevisionsRepository.visible: a submission, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000d001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT 1
FROM "report_submission" t
WHERE t.id = $1
  AND t.funder_id = $2;

-- RevisionsRepository.page: the first page
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = 20
-- $3 = 0
SELECT r.version,
  r.kind,
  r.author,
  r.author_key_id,
  r.recorded_at,
  r.state::text AS state,
  p.state::text AS previous,
  count(*) OVER () AS total_count
FROM revision r
  LEFT JOIN LATERAL (
    SELECT p.state
    FROM revision p
    WHERE p.subject_id = r.subject_id
      AND (p.recorded_at, p.position) < (r.recorded_at, r.position)
    ORDER BY p.recorded_at DESC,
      p.position DESC
    LIMIT 1
  ) p ON true
WHERE r.subject_id = $1
ORDER BY r.recorded_at DESC,
  r.position DESC
LIMIT $2 OFFSET $3;

-- RevisionsRepository.page: a page past the end
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = 20
-- $3 = 40
SELECT r.version,
  r.kind,
  r.author,
  r.author_key_id,
  r.recorded_at,
  r.state::text AS state,
  p.state::text AS previous,
  count(*) OVER () AS total_count
FROM revision r
  LEFT JOIN LATERAL (
    SELECT p.state
    FROM revision p
    WHERE p.subject_id = r.subject_id
      AND (p.recorded_at, p.position) < (r.recorded_at, r.position)
    ORDER BY p.recorded_at DESC,
      p.position DESC
    LIMIT 1
  ) p ON true
WHERE r.subject_id = $1
ORDER BY r.recorded_at DESC,
  r.position DESC
LIMIT $2 OFFSET $3;

-- RevisionsRepository.page: a page past the end
-- $1 = "00000000-0000-4000-8000-00000000c001"
SELECT count(*) AS n
FROM revision r
WHERE r.subject_id = $1;

-- RevisionsRepository.rowAsOf: a cluster, for a funder key
-- $1 = "2026-06-30T12:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000f001"
SELECT t.*
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
    WHERE live.id = $2
  ) t
WHERE t.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $3
      AND fv.archived_at IS NULL
  );
