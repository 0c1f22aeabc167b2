-- The SQL that DashboardRepository (src/dashboard/dashboard.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- DashboardRepository.rows: the dashboard of an admin key
-- $1 = "2026-09-30"
-- $2 = "Europe/Stockholm"
WITH v AS (
  SELECT c.id,
    c.name,
    c.region,
    c.phase,
    c.public_badge,
    c.update_cadence_days
  FROM cluster c
  WHERE c.archived_at IS NULL
    AND TRUE
),
g AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goals_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goals_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goals_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
a AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activities_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activities_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activities_red,
    count(*) FILTER (
      WHERE (
          due_date < $1
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activities_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
f AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS fruits_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS fruits_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS fruits_red,
    count(*) FILTER (
      WHERE (
          when_date < $1
          AND state IN ('planned', 'ongoing')
        )
    )::int AS fruits_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
r AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risks_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risks_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risks_red,
    count(*) FILTER (
      WHERE state = 'open'
        AND score >= 15
    )::int AS high_risks
  FROM risk
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
st AS (
  SELECT i.cluster_id,
    count(*)::int AS stale
  FROM (
      SELECT id,
        cluster_id
      FROM goal
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM activity
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM low_hanging_fruit
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM risk
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
    ) i
    JOIN v ON v.id = i.cluster_id
  WHERE NOT EXISTS (
      SELECT 1
      FROM last_status ls
      WHERE ls.subject_id = i.id
        AND ls.cluster_id = v.id
        AND ls.created_at >= (
          (CAST($1 AS date) - v.update_cadence_days)::timestamp AT TIME ZONE $2
        )
    )
  GROUP BY i.cluster_id
)
SELECT v.id,
  v.name,
  v.region,
  v.phase,
  v.public_badge,
  coalesce(g.goals_green, 0) AS goals_green,
  coalesce(g.goals_yellow, 0) AS goals_yellow,
  coalesce(g.goals_red, 0) AS goals_red,
  coalesce(a.activities_green, 0) AS activities_green,
  coalesce(a.activities_yellow, 0) AS activities_yellow,
  coalesce(a.activities_red, 0) AS activities_red,
  coalesce(a.activities_overdue, 0) AS activities_overdue,
  coalesce(f.fruits_green, 0) AS fruits_green,
  coalesce(f.fruits_yellow, 0) AS fruits_yellow,
  coalesce(f.fruits_red, 0) AS fruits_red,
  coalesce(f.fruits_overdue, 0) AS fruits_overdue,
  coalesce(r.risks_green, 0) AS risks_green,
  coalesce(r.risks_yellow, 0) AS risks_yellow,
  coalesce(r.risks_red, 0) AS risks_red,
  coalesce(r.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN g ON g.cluster_id = v.id
  LEFT JOIN a ON a.cluster_id = v.id
  LEFT JOIN f ON f.cluster_id = v.id
  LEFT JOIN r ON r.cluster_id = v.id
  LEFT JOIN st ON st.cluster_id = v.id
  LEFT JOIN LATERAL (
    SELECT ls.created_at
    FROM last_status ls
    WHERE ls.cluster_id = v.id
    ORDER BY ls.created_at DESC
    LIMIT 1
  ) lu ON true
ORDER BY v.name,
  v.id;

-- DashboardRepository.rows: the dashboard of an editor key, by region and phase
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = "Gävleborg"
-- $3 = "mobilisation"
-- $4 = "2026-09-30"
-- $5 = "Europe/Stockholm"
WITH v AS (
  SELECT c.id,
    c.name,
    c.region,
    c.phase,
    c.public_badge,
    c.update_cadence_days
  FROM cluster c
  WHERE c.archived_at IS NULL
    AND c.id = ANY($1)
    AND lower(c.region) = lower($2)
    AND c.phase = $3
),
g AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goals_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goals_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goals_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
a AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activities_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activities_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activities_red,
    count(*) FILTER (
      WHERE (
          due_date < $4
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activities_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
f AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS fruits_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS fruits_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS fruits_red,
    count(*) FILTER (
      WHERE (
          when_date < $4
          AND state IN ('planned', 'ongoing')
        )
    )::int AS fruits_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
r AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risks_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risks_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risks_red,
    count(*) FILTER (
      WHERE state = 'open'
        AND score >= 15
    )::int AS high_risks
  FROM risk
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
st AS (
  SELECT i.cluster_id,
    count(*)::int AS stale
  FROM (
      SELECT id,
        cluster_id
      FROM goal
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM activity
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM low_hanging_fruit
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM risk
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
    ) i
    JOIN v ON v.id = i.cluster_id
  WHERE NOT EXISTS (
      SELECT 1
      FROM last_status ls
      WHERE ls.subject_id = i.id
        AND ls.cluster_id = v.id
        AND ls.created_at >= (
          (CAST($4 AS date) - v.update_cadence_days)::timestamp AT TIME ZONE $5
        )
    )
  GROUP BY i.cluster_id
)
SELECT v.id,
  v.name,
  v.region,
  v.phase,
  v.public_badge,
  coalesce(g.goals_green, 0) AS goals_green,
  coalesce(g.goals_yellow, 0) AS goals_yellow,
  coalesce(g.goals_red, 0) AS goals_red,
  coalesce(a.activities_green, 0) AS activities_green,
  coalesce(a.activities_yellow, 0) AS activities_yellow,
  coalesce(a.activities_red, 0) AS activities_red,
  coalesce(a.activities_overdue, 0) AS activities_overdue,
  coalesce(f.fruits_green, 0) AS fruits_green,
  coalesce(f.fruits_yellow, 0) AS fruits_yellow,
  coalesce(f.fruits_red, 0) AS fruits_red,
  coalesce(f.fruits_overdue, 0) AS fruits_overdue,
  coalesce(r.risks_green, 0) AS risks_green,
  coalesce(r.risks_yellow, 0) AS risks_yellow,
  coalesce(r.risks_red, 0) AS risks_red,
  coalesce(r.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN g ON g.cluster_id = v.id
  LEFT JOIN a ON a.cluster_id = v.id
  LEFT JOIN f ON f.cluster_id = v.id
  LEFT JOIN r ON r.cluster_id = v.id
  LEFT JOIN st ON st.cluster_id = v.id
  LEFT JOIN LATERAL (
    SELECT ls.created_at
    FROM last_status ls
    WHERE ls.cluster_id = v.id
    ORDER BY ls.created_at DESC
    LIMIT 1
  ) lu ON true
ORDER BY v.name,
  v.id;

-- DashboardRepository.rows: a cluster's badge, with a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "2026-09-30"
-- $4 = "Europe/Stockholm"
WITH v AS (
  SELECT c.id,
    c.name,
    c.region,
    c.phase,
    c.public_badge,
    c.update_cadence_days
  FROM cluster c
  WHERE c.id IN (
      SELECT fv.cluster_id
      FROM funding fv
      WHERE fv.funder_id = $1
        AND fv.archived_at IS NULL
    )
    AND c.id = $2
),
g AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goals_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goals_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goals_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
a AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activities_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activities_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activities_red,
    count(*) FILTER (
      WHERE (
          due_date < $3
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activities_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
f AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS fruits_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS fruits_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS fruits_red,
    count(*) FILTER (
      WHERE (
          when_date < $3
          AND state IN ('planned', 'ongoing')
        )
    )::int AS fruits_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
r AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risks_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risks_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risks_red,
    count(*) FILTER (
      WHERE state = 'open'
        AND score >= 15
    )::int AS high_risks
  FROM risk
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
st AS (
  SELECT i.cluster_id,
    count(*)::int AS stale
  FROM (
      SELECT id,
        cluster_id
      FROM goal
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM activity
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM low_hanging_fruit
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM risk
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
    ) i
    JOIN v ON v.id = i.cluster_id
  WHERE NOT EXISTS (
      SELECT 1
      FROM last_status ls
      WHERE ls.subject_id = i.id
        AND ls.cluster_id = v.id
        AND ls.created_at >= (
          (CAST($3 AS date) - v.update_cadence_days)::timestamp AT TIME ZONE $4
        )
    )
  GROUP BY i.cluster_id
)
SELECT v.id,
  v.name,
  v.region,
  v.phase,
  v.public_badge,
  coalesce(g.goals_green, 0) AS goals_green,
  coalesce(g.goals_yellow, 0) AS goals_yellow,
  coalesce(g.goals_red, 0) AS goals_red,
  coalesce(a.activities_green, 0) AS activities_green,
  coalesce(a.activities_yellow, 0) AS activities_yellow,
  coalesce(a.activities_red, 0) AS activities_red,
  coalesce(a.activities_overdue, 0) AS activities_overdue,
  coalesce(f.fruits_green, 0) AS fruits_green,
  coalesce(f.fruits_yellow, 0) AS fruits_yellow,
  coalesce(f.fruits_red, 0) AS fruits_red,
  coalesce(f.fruits_overdue, 0) AS fruits_overdue,
  coalesce(r.risks_green, 0) AS risks_green,
  coalesce(r.risks_yellow, 0) AS risks_yellow,
  coalesce(r.risks_red, 0) AS risks_red,
  coalesce(r.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN g ON g.cluster_id = v.id
  LEFT JOIN a ON a.cluster_id = v.id
  LEFT JOIN f ON f.cluster_id = v.id
  LEFT JOIN r ON r.cluster_id = v.id
  LEFT JOIN st ON st.cluster_id = v.id
  LEFT JOIN LATERAL (
    SELECT ls.created_at
    FROM last_status ls
    WHERE ls.cluster_id = v.id
    ORDER BY ls.created_at DESC
    LIMIT 1
  ) lu ON true
ORDER BY v.name,
  v.id;

-- DashboardRepository.rows: a cluster's badge, without a key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-09-30"
-- $3 = "Europe/Stockholm"
WITH v AS (
  SELECT c.id,
    c.name,
    c.region,
    c.phase,
    c.public_badge,
    c.update_cadence_days
  FROM cluster c
  WHERE c.public_badge
    AND c.id = $1
),
g AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goals_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goals_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goals_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
a AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activities_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activities_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activities_red,
    count(*) FILTER (
      WHERE (
          due_date < $2
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activities_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
f AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS fruits_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS fruits_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS fruits_red,
    count(*) FILTER (
      WHERE (
          when_date < $2
          AND state IN ('planned', 'ongoing')
        )
    )::int AS fruits_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
r AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risks_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risks_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risks_red,
    count(*) FILTER (
      WHERE state = 'open'
        AND score >= 15
    )::int AS high_risks
  FROM risk
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
st AS (
  SELECT i.cluster_id,
    count(*)::int AS stale
  FROM (
      SELECT id,
        cluster_id
      FROM goal
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM activity
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM low_hanging_fruit
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
      UNION ALL
      SELECT id,
        cluster_id
      FROM risk
      WHERE archived_at IS NULL
        AND cluster_id IN (
          SELECT id
          FROM v
        )
    ) i
    JOIN v ON v.id = i.cluster_id
  WHERE NOT EXISTS (
      SELECT 1
      FROM last_status ls
      WHERE ls.subject_id = i.id
        AND ls.cluster_id = v.id
        AND ls.created_at >= (
          (CAST($2 AS date) - v.update_cadence_days)::timestamp AT TIME ZONE $3
        )
    )
  GROUP BY i.cluster_id
)
SELECT v.id,
  v.name,
  v.region,
  v.phase,
  v.public_badge,
  coalesce(g.goals_green, 0) AS goals_green,
  coalesce(g.goals_yellow, 0) AS goals_yellow,
  coalesce(g.goals_red, 0) AS goals_red,
  coalesce(a.activities_green, 0) AS activities_green,
  coalesce(a.activities_yellow, 0) AS activities_yellow,
  coalesce(a.activities_red, 0) AS activities_red,
  coalesce(a.activities_overdue, 0) AS activities_overdue,
  coalesce(f.fruits_green, 0) AS fruits_green,
  coalesce(f.fruits_yellow, 0) AS fruits_yellow,
  coalesce(f.fruits_red, 0) AS fruits_red,
  coalesce(f.fruits_overdue, 0) AS fruits_overdue,
  coalesce(r.risks_green, 0) AS risks_green,
  coalesce(r.risks_yellow, 0) AS risks_yellow,
  coalesce(r.risks_red, 0) AS risks_red,
  coalesce(r.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN g ON g.cluster_id = v.id
  LEFT JOIN a ON a.cluster_id = v.id
  LEFT JOIN f ON f.cluster_id = v.id
  LEFT JOIN r ON r.cluster_id = v.id
  LEFT JOIN st ON st.cluster_id = v.id
  LEFT JOIN LATERAL (
    SELECT ls.created_at
    FROM last_status ls
    WHERE ls.cluster_id = v.id
    ORDER BY ls.created_at DESC
    LIMIT 1
  ) lu ON true
ORDER BY v.name,
  v.id;
