-- The SQL that ReportSubmissionsRepository (src/report-submissions/report-submissions.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ReportSubmissionsRepository.readable: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT 1
FROM "cluster" x
WHERE x.id = $1
  AND x.id = ANY($2);

-- ReportSubmissionsRepository.readable: a funder, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT 1
FROM "funder" x
WHERE x.id = $1
  AND x.id = $2;

-- ReportSubmissionsRepository.dueFundings: the fundings of a funder, for an admin key
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT fd.id,
  fd.cluster_id,
  c.name AS cluster_name,
  fd.funder_id,
  fd.starts_on,
  fd.ends_on,
  f.reporting_period,
  f.report_due_days
FROM funding fd
  JOIN funder f ON f.id = fd.funder_id
  JOIN cluster c ON c.id = fd.cluster_id
WHERE fd.funder_id = $1
  AND fd.archived_at IS NULL
  AND TRUE;

-- ReportSubmissionsRepository.dueFundings: the fundings of a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT fd.id,
  fd.cluster_id,
  c.name AS cluster_name,
  fd.funder_id,
  fd.starts_on,
  fd.ends_on,
  f.reporting_period,
  f.report_due_days
FROM funding fd
  JOIN funder f ON f.id = fd.funder_id
  JOIN cluster c ON c.id = fd.cluster_id
WHERE fd.cluster_id = $1
  AND fd.archived_at IS NULL
  AND fd.cluster_id = ANY($2);

-- ReportSubmissionsRepository.newestSubmissions: the newest submissions of two pairs
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = ["00000000-0000-4000-8000-00000000f001","00000000-0000-4000-8000-00000000f001"]
SELECT DISTINCT ON (
    s.cluster_id,
    s.funder_id,
    s.period_from,
    s.period_to
  ) s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.id,
  s.state
FROM report_submission s
WHERE (s.cluster_id, s.funder_id) IN (
    SELECT x.cluster_id,
      x.funder_id
    FROM unnest(CAST($1 AS uuid []), CAST($2 AS uuid [])) AS x(cluster_id, funder_id)
  )
ORDER BY s.cluster_id,
  s.funder_id,
  s.period_from,
  s.period_to,
  s.submitted_at DESC,
  s.id;

-- ReportSubmissionsRepository.lateEntries: the first page
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-07-01T08:00:00.000Z"
-- $3 = "2026-01-01"
-- $4 = "2026-06-30"
-- $5 = 50
-- $6 = 0
SELECT m.id,
  m.goal_id,
  g.title AS goal_title,
  m.value,
  m.measured_on,
  m.comment,
  m.created_at,
  m.author,
  count(*) OVER () AS total_count
FROM measurement m
  JOIN goal g ON g.id = m.goal_id
WHERE g.cluster_id = $1
  AND m.created_at > $2
  AND m.measured_on BETWEEN $3 AND $4
ORDER BY m.created_at,
  m.id
LIMIT $5 OFFSET $6;

-- ReportSubmissionsRepository.lateEntries: a page past the end, counted apart
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-07-01T08:00:00.000Z"
-- $3 = "2026-01-01"
-- $4 = "2026-06-30"
-- $5 = 50
-- $6 = 100
SELECT m.id,
  m.goal_id,
  g.title AS goal_title,
  m.value,
  m.measured_on,
  m.comment,
  m.created_at,
  m.author,
  count(*) OVER () AS total_count
FROM measurement m
  JOIN goal g ON g.id = m.goal_id
WHERE g.cluster_id = $1
  AND m.created_at > $2
  AND m.measured_on BETWEEN $3 AND $4
ORDER BY m.created_at,
  m.id
LIMIT $5 OFFSET $6;

-- ReportSubmissionsRepository.lateEntries: a page past the end, counted apart
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-07-01T08:00:00.000Z"
-- $3 = "2026-01-01"
-- $4 = "2026-06-30"
SELECT count(*) AS n
FROM measurement m
  JOIN goal g ON g.id = m.goal_id
WHERE g.cluster_id = $1
  AND m.created_at > $2
  AND m.measured_on BETWEEN $3 AND $4;
