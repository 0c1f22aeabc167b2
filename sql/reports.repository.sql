-- The SQL that ReportsRepository (src/reports/reports.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ReportsRepository.cluster: an admin key
-- $1 = "00000000-0000-4000-8000-00000000c001"
SELECT c.id,
  c.name,
  c.region,
  c.phase
FROM cluster c
WHERE c.id = $1
  AND TRUE;

-- ReportsRepository.cluster: an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT c.id,
  c.name,
  c.region,
  c.phase
FROM cluster c
WHERE c.id = $1
  AND c.id = ANY($2);

-- ReportsRepository.cluster: a funder key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT c.id,
  c.name,
  c.region,
  c.phase
FROM cluster c
WHERE c.id = $1
  AND c.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $2
      AND fv.archived_at IS NULL
  );

-- ReportsRepository.fundedClusters: an admin key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "2026-09-30"
-- $3 = "2026-07-01"
SELECT c.id,
  c.name,
  c.region,
  c.phase
FROM cluster c
WHERE TRUE
  AND EXISTS (
    SELECT 1
    FROM funding fd
    WHERE fd.cluster_id = c.id
      AND fd.funder_id = $1
      AND fd.archived_at IS NULL
      AND fd.starts_on <= $2
      AND fd.ends_on >= $3
  )
ORDER BY c.name,
  c.id;

-- ReportsRepository.fundedClusters: a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = "2026-09-30"
-- $4 = "2026-07-01"
SELECT c.id,
  c.name,
  c.region,
  c.phase
FROM cluster c
WHERE c.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $1
      AND fv.archived_at IS NULL
  )
  AND EXISTS (
    SELECT 1
    FROM funding fd
    WHERE fd.cluster_id = c.id
      AND fd.funder_id = $2
      AND fd.archived_at IS NULL
      AND fd.starts_on <= $3
      AND fd.ends_on >= $4
  )
ORDER BY c.name,
  c.id;

-- ReportsRepository.funder: an admin key
-- $1 = "00000000-0000-4000-8000-00000000f001"
SELECT f.id,
  f.name,
  f.kind
FROM funder f
WHERE f.id = $1
  AND TRUE;

-- ReportsRepository.funder: an editor key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT f.id,
  f.name,
  f.kind
FROM funder f
WHERE f.id = $1
  AND f.id IN (
    SELECT fe.funder_id
    FROM funding fe
    WHERE fe.cluster_id = ANY($2)
      AND fe.archived_at IS NULL
  );

-- ReportsRepository.fundings: all funders (a cluster report)
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-09-30"
-- $4 = "2026-07-01"
-- $5 = null
SELECT fd.id,
  fd.funder_id,
  fd.cluster_id,
  fd.programme,
  fd.amount,
  fd.currency,
  fd.starts_on,
  fd.ends_on
FROM funding fd
WHERE fd.cluster_id IN ($1, $2)
  AND fd.archived_at IS NULL
  AND fd.starts_on <= $3
  AND fd.ends_on >= $4
  AND (
    CAST($5 AS uuid) IS NULL
    OR fd.funder_id = $5
  )
ORDER BY fd.starts_on,
  fd.id;

-- ReportsRepository.fundings: one funder (a funder report, or a funder key)
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-09-30"
-- $4 = "2026-07-01"
-- $5 = "00000000-0000-4000-8000-00000000f001"
SELECT fd.id,
  fd.funder_id,
  fd.cluster_id,
  fd.programme,
  fd.amount,
  fd.currency,
  fd.starts_on,
  fd.ends_on
FROM funding fd
WHERE fd.cluster_id IN ($1, $2)
  AND fd.archived_at IS NULL
  AND fd.starts_on <= $3
  AND fd.ends_on >= $4
  AND (
    CAST($5 AS uuid) IS NULL
    OR fd.funder_id = $5
  )
ORDER BY fd.starts_on,
  fd.id;

-- ReportsRepository.goals: two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "2026-06-30T22:00:00.000Z"
-- $3 = "2026-09-30"
-- $4 = "2026-07-01"
-- $5 = "00000000-0000-4000-8000-00000000c001"
-- $6 = "00000000-0000-4000-8000-00000000c002"
SELECT g.id,
  g.cluster_id,
  g.title,
  g.horizon,
  g.perspective,
  g.contributes_to_goal_id,
  g.due_date,
  g.indicator_unit,
  g.indicator_baseline,
  g.indicator_target,
  s.status AS status_at_start,
  e.status AS status_at_end,
  m.value AS latest_value,
  m.measured_on AS latest_measured_on,
  COALESCE(ms.milestones, '[]') AS milestones
FROM goal g
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = g.id
      AND su.created_at <= $1
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = g.id
      AND su.created_at < $2
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
  LEFT JOIN LATERAL (
    SELECT m.value,
      m.measured_on
    FROM measurement m
    WHERE m.goal_id = g.id
      AND m.measured_on <= $3
      AND m.created_at <= $1
    ORDER BY m.measured_on DESC,
      m.created_at DESC
    LIMIT 1
  ) m ON true
  LEFT JOIN LATERAL (
    SELECT json_agg(
        json_build_object(
          'on',
          d."on",
          'target',
          d.target,
          'actual',
          a.value
        )
        ORDER BY d."on"
      ) AS milestones
    FROM jsonb_to_recordset(g.indicator_milestones) AS d("on" date, target numeric)
      LEFT JOIN LATERAL (
        SELECT mm.value
        FROM measurement mm
        WHERE mm.goal_id = g.id
          AND mm.measured_on <= d."on"
          AND mm.created_at <= $1
        ORDER BY mm.measured_on DESC,
          mm.created_at DESC
        LIMIT 1
      ) a ON true
    WHERE d."on" >= $4
      AND d."on" <= $3
  ) ms ON true
WHERE g.cluster_id IN ($5, $6)
  AND (
    g.archived_at IS NULL
    OR g.archived_at >= $2
  )
ORDER BY g.cluster_id,
  g.horizon DESC,
  g.created_at,
  g.id;

-- ReportsRepository.activities: two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "2026-06-30T22:00:00.000Z"
-- $3 = "00000000-0000-4000-8000-00000000c001"
-- $4 = "00000000-0000-4000-8000-00000000c002"
SELECT a.id,
  a.cluster_id,
  a.title AS title,
  a.goal_id,
  a.due_date AS due_date,
  s.status AS status_at_start,
  s.state AS state_at_start,
  e.status AS status_at_end,
  e.state AS state_at_end
FROM activity a
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at <= $1
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at < $2
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
WHERE a.cluster_id IN ($3, $4)
  AND (
    a.archived_at IS NULL
    OR a.archived_at >= $2
  )
ORDER BY a.cluster_id,
  a.due_date NULLS LAST,
  a.created_at,
  a.id;

-- ReportsRepository.lowHangingFruits: two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "2026-06-30T22:00:00.000Z"
-- $3 = "00000000-0000-4000-8000-00000000c001"
-- $4 = "00000000-0000-4000-8000-00000000c002"
SELECT a.id,
  a.cluster_id,
  a.what AS title,
  a.goal_id,
  a.when_date AS due_date,
  s.status AS status_at_start,
  s.state AS state_at_start,
  e.status AS status_at_end,
  e.state AS state_at_end
FROM low_hanging_fruit a
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at <= $1
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at < $2
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
WHERE a.cluster_id IN ($3, $4)
  AND (
    a.archived_at IS NULL
    OR a.archived_at >= $2
  )
ORDER BY a.cluster_id,
  a.when_date NULLS LAST,
  a.created_at,
  a.id;

-- ReportsRepository.changes: two clusters
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-06-30T22:00:00.000Z"
-- $4 = "2026-09-30T21:59:59.999Z"
SELECT su.subject_id,
  count(*)::int AS count,
  json_agg(
    CASE
      WHEN su.subject_type = 'goal' THEN json_build_object(
        'status',
        su.status,
        'comment',
        su.comment,
        'author',
        su.author,
        'createdAt',
        to_char(
          su.created_at AT TIME ZONE 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
        )
      )
      ELSE json_build_object(
        'status',
        su.status,
        'state',
        su.state,
        'comment',
        su.comment,
        'author',
        su.author,
        'createdAt',
        to_char(
          su.created_at AT TIME ZONE 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
        )
      )
    END
    ORDER BY su.created_at,
      su.seq
  )::text AS changes
FROM status_update su
WHERE su.cluster_id IN ($1, $2)
  AND su.created_at >= $3
  AND su.created_at <= $4
GROUP BY su.subject_id;

-- ReportsRepository.latestComments: two clusters
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-09-30T21:59:59.999Z"
SELECT DISTINCT ON (su.subject_id) su.subject_id,
  su.comment
FROM status_update su
WHERE su.cluster_id IN ($1, $2)
  AND su.created_at <= $3
  AND su.comment IS NOT NULL
  AND su.comment <> ''
ORDER BY su.subject_id,
  su.created_at DESC,
  su.seq DESC;
