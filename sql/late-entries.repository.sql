-- The SQL that LateEntriesRepository (src/report-submissions/late-entries.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- LateEntriesRepository.lateEntries: the first page
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

-- LateEntriesRepository.lateEntries: a page past the end, counted apart
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

-- LateEntriesRepository.lateEntries: a page past the end, counted apart
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
