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
k0 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goal_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goal_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goal_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k1 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activity_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activity_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activity_red,
    count(*) FILTER (
      WHERE (
          due_date < $1
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activity_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k2 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS low_hanging_fruit_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS low_hanging_fruit_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS low_hanging_fruit_red,
    count(*) FILTER (
      WHERE (
          when_date < $1
          AND state IN ('planned', 'ongoing')
        )
    )::int AS low_hanging_fruit_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k3 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risk_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risk_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risk_red,
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
  coalesce(k0.goal_green, 0) AS goal_green,
  coalesce(k0.goal_yellow, 0) AS goal_yellow,
  coalesce(k0.goal_red, 0) AS goal_red,
  coalesce(k1.activity_green, 0) AS activity_green,
  coalesce(k1.activity_yellow, 0) AS activity_yellow,
  coalesce(k1.activity_red, 0) AS activity_red,
  coalesce(k1.activity_overdue, 0) AS activity_overdue,
  coalesce(k2.low_hanging_fruit_green, 0) AS low_hanging_fruit_green,
  coalesce(k2.low_hanging_fruit_yellow, 0) AS low_hanging_fruit_yellow,
  coalesce(k2.low_hanging_fruit_red, 0) AS low_hanging_fruit_red,
  coalesce(k2.low_hanging_fruit_overdue, 0) AS low_hanging_fruit_overdue,
  coalesce(k3.risk_green, 0) AS risk_green,
  coalesce(k3.risk_yellow, 0) AS risk_yellow,
  coalesce(k3.risk_red, 0) AS risk_red,
  coalesce(k3.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN k0 ON k0.cluster_id = v.id
  LEFT JOIN k1 ON k1.cluster_id = v.id
  LEFT JOIN k2 ON k2.cluster_id = v.id
  LEFT JOIN k3 ON k3.cluster_id = v.id
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
k0 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goal_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goal_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goal_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k1 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activity_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activity_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activity_red,
    count(*) FILTER (
      WHERE (
          due_date < $4
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activity_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k2 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS low_hanging_fruit_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS low_hanging_fruit_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS low_hanging_fruit_red,
    count(*) FILTER (
      WHERE (
          when_date < $4
          AND state IN ('planned', 'ongoing')
        )
    )::int AS low_hanging_fruit_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k3 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risk_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risk_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risk_red,
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
  coalesce(k0.goal_green, 0) AS goal_green,
  coalesce(k0.goal_yellow, 0) AS goal_yellow,
  coalesce(k0.goal_red, 0) AS goal_red,
  coalesce(k1.activity_green, 0) AS activity_green,
  coalesce(k1.activity_yellow, 0) AS activity_yellow,
  coalesce(k1.activity_red, 0) AS activity_red,
  coalesce(k1.activity_overdue, 0) AS activity_overdue,
  coalesce(k2.low_hanging_fruit_green, 0) AS low_hanging_fruit_green,
  coalesce(k2.low_hanging_fruit_yellow, 0) AS low_hanging_fruit_yellow,
  coalesce(k2.low_hanging_fruit_red, 0) AS low_hanging_fruit_red,
  coalesce(k2.low_hanging_fruit_overdue, 0) AS low_hanging_fruit_overdue,
  coalesce(k3.risk_green, 0) AS risk_green,
  coalesce(k3.risk_yellow, 0) AS risk_yellow,
  coalesce(k3.risk_red, 0) AS risk_red,
  coalesce(k3.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN k0 ON k0.cluster_id = v.id
  LEFT JOIN k1 ON k1.cluster_id = v.id
  LEFT JOIN k2 ON k2.cluster_id = v.id
  LEFT JOIN k3 ON k3.cluster_id = v.id
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
k0 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goal_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goal_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goal_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k1 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activity_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activity_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activity_red,
    count(*) FILTER (
      WHERE (
          due_date < $3
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activity_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k2 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS low_hanging_fruit_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS low_hanging_fruit_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS low_hanging_fruit_red,
    count(*) FILTER (
      WHERE (
          when_date < $3
          AND state IN ('planned', 'ongoing')
        )
    )::int AS low_hanging_fruit_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k3 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risk_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risk_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risk_red,
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
  coalesce(k0.goal_green, 0) AS goal_green,
  coalesce(k0.goal_yellow, 0) AS goal_yellow,
  coalesce(k0.goal_red, 0) AS goal_red,
  coalesce(k1.activity_green, 0) AS activity_green,
  coalesce(k1.activity_yellow, 0) AS activity_yellow,
  coalesce(k1.activity_red, 0) AS activity_red,
  coalesce(k1.activity_overdue, 0) AS activity_overdue,
  coalesce(k2.low_hanging_fruit_green, 0) AS low_hanging_fruit_green,
  coalesce(k2.low_hanging_fruit_yellow, 0) AS low_hanging_fruit_yellow,
  coalesce(k2.low_hanging_fruit_red, 0) AS low_hanging_fruit_red,
  coalesce(k2.low_hanging_fruit_overdue, 0) AS low_hanging_fruit_overdue,
  coalesce(k3.risk_green, 0) AS risk_green,
  coalesce(k3.risk_yellow, 0) AS risk_yellow,
  coalesce(k3.risk_red, 0) AS risk_red,
  coalesce(k3.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN k0 ON k0.cluster_id = v.id
  LEFT JOIN k1 ON k1.cluster_id = v.id
  LEFT JOIN k2 ON k2.cluster_id = v.id
  LEFT JOIN k3 ON k3.cluster_id = v.id
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
k0 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS goal_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS goal_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS goal_red
  FROM goal
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k1 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS activity_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS activity_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS activity_red,
    count(*) FILTER (
      WHERE (
          due_date < $2
          AND state IN ('planned', 'ongoing')
        )
    )::int AS activity_overdue
  FROM activity
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k2 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS low_hanging_fruit_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS low_hanging_fruit_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS low_hanging_fruit_red,
    count(*) FILTER (
      WHERE (
          when_date < $2
          AND state IN ('planned', 'ongoing')
        )
    )::int AS low_hanging_fruit_overdue
  FROM low_hanging_fruit
  WHERE archived_at IS NULL
    AND cluster_id IN (
      SELECT id
      FROM v
    )
  GROUP BY cluster_id
),
k3 AS (
  SELECT cluster_id,
    count(*) FILTER (
      WHERE status = 'green'
    )::int AS risk_green,
    count(*) FILTER (
      WHERE status = 'yellow'
    )::int AS risk_yellow,
    count(*) FILTER (
      WHERE status = 'red'
    )::int AS risk_red,
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
  coalesce(k0.goal_green, 0) AS goal_green,
  coalesce(k0.goal_yellow, 0) AS goal_yellow,
  coalesce(k0.goal_red, 0) AS goal_red,
  coalesce(k1.activity_green, 0) AS activity_green,
  coalesce(k1.activity_yellow, 0) AS activity_yellow,
  coalesce(k1.activity_red, 0) AS activity_red,
  coalesce(k1.activity_overdue, 0) AS activity_overdue,
  coalesce(k2.low_hanging_fruit_green, 0) AS low_hanging_fruit_green,
  coalesce(k2.low_hanging_fruit_yellow, 0) AS low_hanging_fruit_yellow,
  coalesce(k2.low_hanging_fruit_red, 0) AS low_hanging_fruit_red,
  coalesce(k2.low_hanging_fruit_overdue, 0) AS low_hanging_fruit_overdue,
  coalesce(k3.risk_green, 0) AS risk_green,
  coalesce(k3.risk_yellow, 0) AS risk_yellow,
  coalesce(k3.risk_red, 0) AS risk_red,
  coalesce(k3.high_risks, 0) AS high_risks,
  coalesce(st.stale, 0) AS stale,
  lu.created_at AS last_update_at
FROM v
  LEFT JOIN k0 ON k0.cluster_id = v.id
  LEFT JOIN k1 ON k1.cluster_id = v.id
  LEFT JOIN k2 ON k2.cluster_id = v.id
  LEFT JOIN k3 ON k3.cluster_id = v.id
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
