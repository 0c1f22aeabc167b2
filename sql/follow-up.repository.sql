-- The SQL that FollowUpRepository (src/follow-up/follow-up.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- FollowUpRepository.needsUpdate: the first page, for a viewer key
-- $1 = "2026-09-30"
-- $2 = "Europe/Stockholm"
-- $3 = 50
-- $4 = 0
WITH v AS MATERIALIZED (
  SELECT c.id,
    c.update_cadence_days AS cadence
  FROM cluster c
  WHERE c.archived_at IS NULL
    AND TRUE
),
items AS (
  SELECT 'goal'::text AS type,
    0 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    false AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM goal i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'activity'::text AS type,
    1 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    COALESCE(
      (
        i.due_date < $1
        AND i.state IN ('planned', 'ongoing')
      ),
      false
    ) AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM activity i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'low_hanging_fruit'::text AS type,
    2 AS kind_order,
    i.id,
    i.cluster_id,
    i.what AS title,
    i.status::text AS status,
    i.when_date AS due_date,
    COALESCE(
      (
        i.when_date < $1
        AND i.state IN ('planned', 'ongoing')
      ),
      false
    ) AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM low_hanging_fruit i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'risk'::text AS type,
    3 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    NULL::date AS due_date,
    false AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM risk i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
),
flagged AS MATERIALIZED (
  SELECT k.type,
    k.id,
    k.cluster_id,
    k.title,
    k.status,
    k.due_date,
    k.overdue,
    l.created_at AS last_at,
    (
      k.status = 'red'
      AND l.created_at < (
        (CAST($1 AS date) - 13)::timestamp AT TIME ZONE $2
      )
    ) AS red_unchanged,
    (
      l.created_at < (
        (CAST($1 AS date) - k.cadence)::timestamp AT TIME ZONE $2
      )
    ) AS stale
  FROM items k
    JOIN last_status l ON l.subject_id = k.id
),
listed AS (
  SELECT *,
    CASE
      WHEN red_unchanged THEN 0
      WHEN overdue THEN 1
      ELSE 2
    END AS rank,
    red_unchanged::int + overdue::int + stale::int AS weight
  FROM flagged
  WHERE (
      red_unchanged
      OR overdue
      OR stale
    )
)
SELECT t.total,
  p.*
FROM (
    SELECT count(*)::int AS total
    FROM listed
  ) t
  LEFT JOIN LATERAL (
    SELECT *
    FROM listed
    ORDER BY rank,
      weight DESC,
      last_at,
      due_date NULLS LAST,
      id
    LIMIT $3 OFFSET $4
  ) p ON true
ORDER BY p.rank,
  p.weight DESC,
  p.last_at,
  p.due_date NULLS LAST,
  p.id;

-- FollowUpRepository.needsUpdate: stale items of one cluster, for an editor key
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "2026-09-30"
-- $4 = "Europe/Stockholm"
-- $5 = 20
-- $6 = 40
WITH v AS MATERIALIZED (
  SELECT c.id,
    c.update_cadence_days AS cadence
  FROM cluster c
  WHERE c.archived_at IS NULL
    AND c.id = ANY($1)
    AND c.id = $2
),
items AS (
  SELECT 'goal'::text AS type,
    0 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    false AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM goal i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'activity'::text AS type,
    1 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    COALESCE(
      (
        i.due_date < $3
        AND i.state IN ('planned', 'ongoing')
      ),
      false
    ) AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM activity i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'low_hanging_fruit'::text AS type,
    2 AS kind_order,
    i.id,
    i.cluster_id,
    i.what AS title,
    i.status::text AS status,
    i.when_date AS due_date,
    COALESCE(
      (
        i.when_date < $3
        AND i.state IN ('planned', 'ongoing')
      ),
      false
    ) AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM low_hanging_fruit i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'risk'::text AS type,
    3 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    NULL::date AS due_date,
    false AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM risk i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
),
flagged AS MATERIALIZED (
  SELECT k.type,
    k.id,
    k.cluster_id,
    k.title,
    k.status,
    k.due_date,
    k.overdue,
    l.created_at AS last_at,
    (
      k.status = 'red'
      AND l.created_at < (
        (CAST($3 AS date) - 13)::timestamp AT TIME ZONE $4
      )
    ) AS red_unchanged,
    (
      l.created_at < (
        (CAST($3 AS date) - k.cadence)::timestamp AT TIME ZONE $4
      )
    ) AS stale
  FROM items k
    JOIN last_status l ON l.subject_id = k.id
),
listed AS (
  SELECT *,
    CASE
      WHEN red_unchanged THEN 0
      WHEN overdue THEN 1
      ELSE 2
    END AS rank,
    red_unchanged::int + overdue::int + stale::int AS weight
  FROM flagged
  WHERE (
      red_unchanged
      OR overdue
      OR stale
    )
    AND stale
)
SELECT t.total,
  p.*
FROM (
    SELECT count(*)::int AS total
    FROM listed
  ) t
  LEFT JOIN LATERAL (
    SELECT *
    FROM listed
    ORDER BY rank,
      weight DESC,
      last_at,
      due_date NULLS LAST,
      id
    LIMIT $5 OFFSET $6
  ) p ON true
ORDER BY p.rank,
  p.weight DESC,
  p.last_at,
  p.due_date NULLS LAST,
  p.id;

-- FollowUpRepository.needsUpdate: for a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "2026-09-30"
-- $3 = "Europe/Stockholm"
-- $4 = 50
-- $5 = 0
WITH v AS MATERIALIZED (
  SELECT c.id,
    c.update_cadence_days AS cadence
  FROM cluster c
  WHERE c.archived_at IS NULL
    AND c.id IN (
      SELECT fv.cluster_id
      FROM funding fv
      WHERE fv.funder_id = $1
        AND fv.archived_at IS NULL
    )
),
items AS (
  SELECT 'goal'::text AS type,
    0 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    false AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM goal i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'activity'::text AS type,
    1 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    COALESCE(
      (
        i.due_date < $2
        AND i.state IN ('planned', 'ongoing')
      ),
      false
    ) AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM activity i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'low_hanging_fruit'::text AS type,
    2 AS kind_order,
    i.id,
    i.cluster_id,
    i.what AS title,
    i.status::text AS status,
    i.when_date AS due_date,
    COALESCE(
      (
        i.when_date < $2
        AND i.state IN ('planned', 'ongoing')
      ),
      false
    ) AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM low_hanging_fruit i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
  UNION ALL
  SELECT 'risk'::text AS type,
    3 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    NULL::date AS due_date,
    false AS overdue,
    i.archived_at,
    v.cadence AS cadence
  FROM risk i
    JOIN v ON v.id = i.cluster_id
  WHERE i.archived_at IS NULL
),
flagged AS MATERIALIZED (
  SELECT k.type,
    k.id,
    k.cluster_id,
    k.title,
    k.status,
    k.due_date,
    k.overdue,
    l.created_at AS last_at,
    (
      k.status = 'red'
      AND l.created_at < (
        (CAST($2 AS date) - 13)::timestamp AT TIME ZONE $3
      )
    ) AS red_unchanged,
    (
      l.created_at < (
        (CAST($2 AS date) - k.cadence)::timestamp AT TIME ZONE $3
      )
    ) AS stale
  FROM items k
    JOIN last_status l ON l.subject_id = k.id
),
listed AS (
  SELECT *,
    CASE
      WHEN red_unchanged THEN 0
      WHEN overdue THEN 1
      ELSE 2
    END AS rank,
    red_unchanged::int + overdue::int + stale::int AS weight
  FROM flagged
  WHERE (
      red_unchanged
      OR overdue
      OR stale
    )
)
SELECT t.total,
  p.*
FROM (
    SELECT count(*)::int AS total
    FROM listed
  ) t
  LEFT JOIN LATERAL (
    SELECT *
    FROM listed
    ORDER BY rank,
      weight DESC,
      last_at,
      due_date NULLS LAST,
      id
    LIMIT $4 OFFSET $5
  ) p ON true
ORDER BY p.rank,
  p.weight DESC,
  p.last_at,
  p.due_date NULLS LAST,
  p.id;

-- FollowUpRepository.cluster: a cluster, for an editor key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT c.id,
  c.name
FROM cluster c
WHERE c.id = $1
  AND c.id = ANY($2);

-- FollowUpRepository.funder: a funder, for its own key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT f.id,
  f.name
FROM funder f
WHERE f.id = $1
  AND f.id = $2;

-- FollowUpRepository.fundedClusters: a funder's clusters in 2026-Q3, for a viewer key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "2026-09-30"
-- $3 = "2026-07-01"
SELECT c.id,
  c.name
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

-- FollowUpRepository.grid: two clusters over the months of 2026-Q3
-- $1 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $2 = ["2026-06-30T22:00:00.000Z","2026-07-31T22:00:00.000Z","2026-08-31T22:00:00.000Z"]
-- $3 = ["2026-07-31T21:59:59.999Z","2026-08-31T21:59:59.999Z","2026-09-30T21:59:59.999Z"]
-- $4 = "2026-06-30T22:00:00.000Z"
-- $5 = "2026-09-30T21:59:59.999Z"
WITH v AS (
  SELECT id
  FROM unnest(CAST($1 AS uuid [])) AS v(id)
),
cols AS (
  SELECT n::int,
    col_from,
    col_to
  FROM unnest(
      CAST($2 AS timestamptz []),
      CAST($3 AS timestamptz [])
    ) WITH ORDINALITY AS c(col_from, col_to, n)
),
items AS (
  SELECT 'goal'::text AS type,
    0 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    false AS overdue,
    i.archived_at,
    NULL::int AS cadence
  FROM goal i
    JOIN v ON v.id = i.cluster_id
  WHERE (
      i.archived_at IS NULL
      OR i.archived_at >= $4
    )
  UNION ALL
  SELECT 'activity'::text AS type,
    1 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    i.due_date AS due_date,
    false AS overdue,
    i.archived_at,
    NULL::int AS cadence
  FROM activity i
    JOIN v ON v.id = i.cluster_id
  WHERE (
      i.archived_at IS NULL
      OR i.archived_at >= $4
    )
  UNION ALL
  SELECT 'low_hanging_fruit'::text AS type,
    2 AS kind_order,
    i.id,
    i.cluster_id,
    i.what AS title,
    i.status::text AS status,
    i.when_date AS due_date,
    false AS overdue,
    i.archived_at,
    NULL::int AS cadence
  FROM low_hanging_fruit i
    JOIN v ON v.id = i.cluster_id
  WHERE (
      i.archived_at IS NULL
      OR i.archived_at >= $4
    )
  UNION ALL
  SELECT 'risk'::text AS type,
    3 AS kind_order,
    i.id,
    i.cluster_id,
    i.title AS title,
    i.status::text AS status,
    NULL::date AS due_date,
    false AS overdue,
    i.archived_at,
    NULL::int AS cadence
  FROM risk i
    JOIN v ON v.id = i.cluster_id
  WHERE (
      i.archived_at IS NULL
      OR i.archived_at >= $4
    )
),
began AS (
  SELECT i.*,
    b.created_at AS began_at,
    b.seq AS began_seq
  FROM items i
    JOIN LATERAL (
      SELECT su.created_at,
        su.seq
      FROM status_update su
      WHERE su.subject_id = i.id
      ORDER BY su.created_at,
        su.seq
      LIMIT 1
    ) b ON true
  WHERE b.created_at <= $5
)
SELECT b.type,
  b.id,
  b.cluster_id,
  b.title,
  cells.statuses,
  cells.states,
  counted.changes
FROM began b
  CROSS JOIN LATERAL (
    SELECT array_agg(
        e.status::text
        ORDER BY c.n
      ) AS statuses,
      array_agg(
        e.state::text
        ORDER BY c.n
      ) AS states
    FROM cols c
      LEFT JOIN LATERAL (
        SELECT su.status,
          su.state
        FROM status_update su
        WHERE su.subject_id = b.id
          AND su.created_at <= c.col_to
          AND (
            b.archived_at IS NULL
            OR b.archived_at >= c.col_from
          )
        ORDER BY su.created_at DESC,
          su.seq DESC
        LIMIT 1
      ) e ON true
  ) cells
  CROSS JOIN LATERAL (
    SELECT array_agg(
        COALESCE(x.k, 0)
        ORDER BY c.n
      ) AS changes
    FROM cols c
      LEFT JOIN (
        SELECT width_bucket(su.created_at, CAST($2 AS timestamptz [])) AS n,
          count(*)::int AS k
        FROM status_update su
        WHERE su.subject_id = b.id
          AND su.created_at >= $4
          AND su.created_at <= $5
          AND (su.created_at, su.seq) <> (b.began_at, b.began_seq)
        GROUP BY 1
      ) x ON x.n = c.n
  ) counted
ORDER BY array_position(CAST($1 AS uuid []), b.cluster_id),
  b.kind_order,
  b.began_at,
  b.id;
