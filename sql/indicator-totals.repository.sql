-- The SQL that IndicatorTotalsRepository (src/indicators/indicator-totals.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- IndicatorTotalsRepository.clusters: all clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "2026-06-30T22:00:00.000Z"
-- $3 = null
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  CROSS JOIN LATERAL jsonb_populate_record(NULL::cluster, at_end.state) s
WHERE (
    s.archived_at IS NULL
    OR s.archived_at >= $2
  )
  AND (
    CAST($3 AS varchar) IS NULL
    OR s.region = $3
  )
ORDER BY s.name,
  s.id;

-- IndicatorTotalsRepository.clusters: a region
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "2026-06-30T22:00:00.000Z"
-- $3 = "Gävleborg"
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  CROSS JOIN LATERAL jsonb_populate_record(NULL::cluster, at_end.state) s
WHERE (
    s.archived_at IS NULL
    OR s.archived_at >= $2
  )
  AND (
    CAST($3 AS varchar) IS NULL
    OR s.region = $3
  )
ORDER BY s.name,
  s.id;

-- IndicatorTotalsRepository.totals: a funder’s totals
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-06-30T22:00:00.000Z"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "2026-09-30"
-- $6 = "00000000-0000-4000-8000-00000000f001"
-- $7 = "2026-07-01"
-- $8 = "2026-09-30T21:59:59.999Z"
WITH counted AS (
  SELECT g.cluster_id,
    m.id,
    m.definition_id,
    d.aggregation,
    m.value,
    m.measured_on,
    m.created_at
  FROM goal g
    JOIN measurement m ON m.goal_id = g.id
    JOIN indicator_definition d ON d.id = m.definition_id
  WHERE g.cluster_id IN ($1, $2)
    AND m.definition_id IS NOT NULL
    AND (
      g.archived_at IS NULL
      OR g.archived_at >= $3
    )
    AND m.created_at <= $4
    AND m.measured_on <= $5
    AND (
      CAST($6 AS uuid) IS NULL
      OR d.funder_id IS NULL
      OR d.funder_id = $6
    )
),
latest AS (
  SELECT DISTINCT ON (c.cluster_id, c.definition_id) c.cluster_id,
    c.definition_id,
    c.value
  FROM counted c
  WHERE c.aggregation = 'sum'
  ORDER BY c.cluster_id,
    c.definition_id,
    c.measured_on DESC,
    c.created_at DESC,
    c.id DESC
),
organisations AS (
  SELECT c.cluster_id,
    c.definition_id,
    o.organisation_number,
    o.enterprise_size,
    c.measured_on,
    c.created_at,
    c.id
  FROM counted c
    JOIN measurement_organisation o ON o.measurement_id = c.id
  WHERE c.aggregation = 'organisations'
    AND c.measured_on >= $7
),
per_cluster AS (
  SELECT cluster_id,
    definition_id,
    value
  FROM latest
  UNION ALL
  SELECT cluster_id,
    definition_id,
    count(DISTINCT organisation_number)::numeric
  FROM organisations
  GROUP BY cluster_id,
    definition_id
),
sized AS (
  SELECT DISTINCT ON (definition_id, organisation_number) definition_id,
    organisation_number,
    enterprise_size
  FROM organisations
  ORDER BY definition_id,
    organisation_number,
    measured_on DESC,
    created_at DESC,
    id DESC
),
distinct_totals AS (
  SELECT definition_id,
    count(*) AS total,
    count(*) FILTER (
      WHERE enterprise_size = 'micro'
    ) AS micro,
    count(*) FILTER (
      WHERE enterprise_size = 'small'
    ) AS small,
    count(*) FILTER (
      WHERE enterprise_size = 'medium'
    ) AS medium,
    count(*) FILTER (
      WHERE enterprise_size = 'large'
    ) AS large
  FROM sized
  GROUP BY definition_id
)
SELECT p.definition_id,
  s.code,
  s.name,
  s.unit,
  d.aggregation,
  d.breakdown,
  d.funder_id,
  p.cluster_id,
  p.value::text AS value,
  (
    CASE
      WHEN d.aggregation = 'sum' THEN sum(p.value) OVER (PARTITION BY p.definition_id)
      ELSE t.total
    END
  )::text AS total,
  t.micro::text AS micro,
  t.small::text AS small,
  t.medium::text AS medium,
  t.large::text AS large
FROM per_cluster p
  JOIN indicator_definition d ON d.id = p.definition_id
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = d.id
      AND r.recorded_at <= $8
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = d.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::indicator_definition,
    COALESCE(at_end.state, at_start.state, to_jsonb(d))
  ) s
  LEFT JOIN distinct_totals t ON t.definition_id = p.definition_id;

-- IndicatorTotalsRepository.totals: every definition (a region)
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-06-30T22:00:00.000Z"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "2026-09-30"
-- $6 = null
-- $7 = "2026-07-01"
-- $8 = "2026-09-30T21:59:59.999Z"
WITH counted AS (
  SELECT g.cluster_id,
    m.id,
    m.definition_id,
    d.aggregation,
    m.value,
    m.measured_on,
    m.created_at
  FROM goal g
    JOIN measurement m ON m.goal_id = g.id
    JOIN indicator_definition d ON d.id = m.definition_id
  WHERE g.cluster_id IN ($1, $2)
    AND m.definition_id IS NOT NULL
    AND (
      g.archived_at IS NULL
      OR g.archived_at >= $3
    )
    AND m.created_at <= $4
    AND m.measured_on <= $5
    AND (
      CAST($6 AS uuid) IS NULL
      OR d.funder_id IS NULL
      OR d.funder_id = $6
    )
),
latest AS (
  SELECT DISTINCT ON (c.cluster_id, c.definition_id) c.cluster_id,
    c.definition_id,
    c.value
  FROM counted c
  WHERE c.aggregation = 'sum'
  ORDER BY c.cluster_id,
    c.definition_id,
    c.measured_on DESC,
    c.created_at DESC,
    c.id DESC
),
organisations AS (
  SELECT c.cluster_id,
    c.definition_id,
    o.organisation_number,
    o.enterprise_size,
    c.measured_on,
    c.created_at,
    c.id
  FROM counted c
    JOIN measurement_organisation o ON o.measurement_id = c.id
  WHERE c.aggregation = 'organisations'
    AND c.measured_on >= $7
),
per_cluster AS (
  SELECT cluster_id,
    definition_id,
    value
  FROM latest
  UNION ALL
  SELECT cluster_id,
    definition_id,
    count(DISTINCT organisation_number)::numeric
  FROM organisations
  GROUP BY cluster_id,
    definition_id
),
sized AS (
  SELECT DISTINCT ON (definition_id, organisation_number) definition_id,
    organisation_number,
    enterprise_size
  FROM organisations
  ORDER BY definition_id,
    organisation_number,
    measured_on DESC,
    created_at DESC,
    id DESC
),
distinct_totals AS (
  SELECT definition_id,
    count(*) AS total,
    count(*) FILTER (
      WHERE enterprise_size = 'micro'
    ) AS micro,
    count(*) FILTER (
      WHERE enterprise_size = 'small'
    ) AS small,
    count(*) FILTER (
      WHERE enterprise_size = 'medium'
    ) AS medium,
    count(*) FILTER (
      WHERE enterprise_size = 'large'
    ) AS large
  FROM sized
  GROUP BY definition_id
)
SELECT p.definition_id,
  s.code,
  s.name,
  s.unit,
  d.aggregation,
  d.breakdown,
  d.funder_id,
  p.cluster_id,
  p.value::text AS value,
  (
    CASE
      WHEN d.aggregation = 'sum' THEN sum(p.value) OVER (PARTITION BY p.definition_id)
      ELSE t.total
    END
  )::text AS total,
  t.micro::text AS micro,
  t.small::text AS small,
  t.medium::text AS medium,
  t.large::text AS large
FROM per_cluster p
  JOIN indicator_definition d ON d.id = p.definition_id
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = d.id
      AND r.recorded_at <= $8
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = d.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::indicator_definition,
    COALESCE(at_end.state, at_start.state, to_jsonb(d))
  ) s
  LEFT JOIN distinct_totals t ON t.definition_id = p.definition_id;
