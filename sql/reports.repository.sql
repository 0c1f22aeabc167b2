-- The SQL that ReportsRepository (src/reports/read/reports.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- ReportsRepository.cluster: an admin key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"cluster",
    COALESCE(at_end.state, at_start.state, to_jsonb(c))
  ) s
WHERE c.id = $2
  AND TRUE;

-- ReportsRepository.cluster: an editor key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"cluster",
    COALESCE(at_end.state, at_start.state, to_jsonb(c))
  ) s
WHERE c.id = $2
  AND c.id = ANY($3);

-- ReportsRepository.cluster: a funder key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000f001"
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"cluster",
    COALESCE(at_end.state, at_start.state, to_jsonb(c))
  ) s
WHERE c.id = $2
  AND c.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $3
      AND fv.archived_at IS NULL
  );

-- ReportsRepository.fundedClusters: an admin key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "2026-09-30T21:59:59.999Z"
-- $3 = "00000000-0000-4000-8000-00000000f001"
-- $4 = "2026-09-30"
-- $5 = "2026-07-01"
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"cluster",
    COALESCE(at_end.state, at_start.state, to_jsonb(c))
  ) s
WHERE TRUE
  AND EXISTS (
    SELECT 1
    FROM (
        SELECT s.*
        FROM "funding" live
          JOIN LATERAL (
            SELECT r.state
            FROM revision r
            WHERE r.subject_id = live.id
              AND r.recorded_at <= $2
            ORDER BY r.recorded_at DESC,
              r.position DESC
            LIMIT 1
          ) r ON true
          CROSS JOIN LATERAL jsonb_populate_record(NULL::"funding", r.state) s
        WHERE live.cluster_id = c.id
          AND live.funder_id = $3
      ) fd
    WHERE fd.archived_at IS NULL
      AND fd.starts_on <= $4
      AND fd.ends_on >= $5
  )
ORDER BY s.name,
  s.id;

-- ReportsRepository.fundedClusters: a funder key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = "2026-09-30T21:59:59.999Z"
-- $4 = "00000000-0000-4000-8000-00000000f001"
-- $5 = "2026-09-30"
-- $6 = "2026-07-01"
SELECT s.id,
  s.name,
  s.region,
  s.phase
FROM cluster c
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = c.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"cluster",
    COALESCE(at_end.state, at_start.state, to_jsonb(c))
  ) s
WHERE c.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $2
      AND fv.archived_at IS NULL
  )
  AND EXISTS (
    SELECT 1
    FROM (
        SELECT s.*
        FROM "funding" live
          JOIN LATERAL (
            SELECT r.state
            FROM revision r
            WHERE r.subject_id = live.id
              AND r.recorded_at <= $3
            ORDER BY r.recorded_at DESC,
              r.position DESC
            LIMIT 1
          ) r ON true
          CROSS JOIN LATERAL jsonb_populate_record(NULL::"funding", r.state) s
        WHERE live.cluster_id = c.id
          AND live.funder_id = $4
      ) fd
    WHERE fd.archived_at IS NULL
      AND fd.starts_on <= $5
      AND fd.ends_on >= $6
  )
ORDER BY s.name,
  s.id;

-- ReportsRepository.funder: an admin key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT s.id,
  s.name,
  s.kind
FROM funder f
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = f.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = f.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"funder",
    COALESCE(at_end.state, at_start.state, to_jsonb(f))
  ) s
WHERE f.id = $2
  AND TRUE;

-- ReportsRepository.funder: an editor key
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000f001"
-- $3 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
SELECT s.id,
  s.name,
  s.kind
FROM funder f
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = f.id
      AND r.recorded_at <= $1
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) at_end ON true
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = f.id
    ORDER BY r.recorded_at,
      r.position
    LIMIT 1
  ) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(
    NULL::"funder",
    COALESCE(at_end.state, at_start.state, to_jsonb(f))
  ) s
WHERE f.id = $2
  AND f.id IN (
    SELECT fe.funder_id
    FROM funding fe
    WHERE fe.cluster_id = ANY($3)
      AND fe.archived_at IS NULL
  );

-- ReportsRepository.fundings: all funders (a cluster report)
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30"
-- $5 = "2026-07-01"
-- $6 = null
SELECT fd.id,
  fd.funder_id,
  fd.cluster_id,
  fd.programme,
  fd.amount,
  fd.currency,
  fd.starts_on,
  fd.ends_on
FROM (
    SELECT s.*
    FROM "funding" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"funding", r.state) s
    WHERE live.cluster_id IN ($2, $3)
  ) fd
WHERE fd.archived_at IS NULL
  AND fd.starts_on <= $4
  AND fd.ends_on >= $5
  AND (
    CAST($6 AS uuid) IS NULL
    OR fd.funder_id = $6
  )
ORDER BY fd.starts_on,
  fd.id;

-- ReportsRepository.fundings: one funder (a funder report, or a funder key)
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30"
-- $5 = "2026-07-01"
-- $6 = "00000000-0000-4000-8000-00000000f001"
SELECT fd.id,
  fd.funder_id,
  fd.cluster_id,
  fd.programme,
  fd.amount,
  fd.currency,
  fd.starts_on,
  fd.ends_on
FROM (
    SELECT s.*
    FROM "funding" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"funding", r.state) s
    WHERE live.cluster_id IN ($2, $3)
  ) fd
WHERE fd.archived_at IS NULL
  AND fd.starts_on <= $4
  AND fd.ends_on >= $5
  AND (
    CAST($6 AS uuid) IS NULL
    OR fd.funder_id = $6
  )
ORDER BY fd.starts_on,
  fd.id;

-- ReportsRepository.goals: two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "2026-06-30T22:00:00.000Z"
-- $6 = "2026-09-30"
-- $7 = "2026-09-30T21:59:59.999Z"
-- $8 = "2026-07-01"
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
FROM (
    SELECT s.*
    FROM "goal" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"goal", r.state) s
    WHERE live.cluster_id IN ($2, $3)
  ) g
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = g.id
      AND su.created_at <= $4
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = g.id
      AND su.created_at < $5
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
  LEFT JOIN LATERAL (
    SELECT m.value,
      m.measured_on
    FROM measurement m
    WHERE m.goal_id = g.id
      AND m.measured_on <= $6
      AND m.created_at <= $7
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
          AND mm.created_at <= $7
        ORDER BY mm.measured_on DESC,
          mm.created_at DESC
        LIMIT 1
      ) a ON true
    WHERE d."on" >= $8
      AND d."on" <= $6
  ) ms ON true
WHERE (
    g.archived_at IS NULL
    OR g.archived_at >= $5
  )
ORDER BY g.cluster_id,
  g.horizon DESC,
  g.created_at,
  g.id;

-- ReportsRepository.datedItems: activities, two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "2026-06-30T22:00:00.000Z"
SELECT a.id,
  a.cluster_id,
  a.title AS title,
  a.goal_id,
  a.due_date AS due_date,
  s.status AS status_at_start,
  s.state AS state_at_start,
  e.status AS status_at_end,
  e.state AS state_at_end
FROM (
    SELECT s.*
    FROM "activity" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"activity", r.state) s
    WHERE live.cluster_id IN ($2, $3)
  ) a
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at <= $4
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at < $5
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
WHERE (
    a.archived_at IS NULL
    OR a.archived_at >= $5
  )
ORDER BY a.cluster_id,
  a.due_date NULLS LAST,
  a.created_at,
  a.id;

-- ReportsRepository.datedItems: lowHangingFruits, two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "2026-06-30T22:00:00.000Z"
SELECT a.id,
  a.cluster_id,
  a.what AS title,
  a.goal_id,
  a.when_date AS due_date,
  s.status AS status_at_start,
  s.state AS state_at_start,
  e.status AS status_at_end,
  e.state AS state_at_end
FROM (
    SELECT s.*
    FROM "low_hanging_fruit" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"low_hanging_fruit", r.state) s
    WHERE live.cluster_id IN ($2, $3)
  ) a
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at <= $4
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = a.id
      AND su.created_at < $5
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
WHERE (
    a.archived_at IS NULL
    OR a.archived_at >= $5
  )
ORDER BY a.cluster_id,
  a.when_date NULLS LAST,
  a.created_at,
  a.id;

-- ReportsRepository.replans: two clusters
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-06-30T22:00:00.000Z"
-- $4 = "2026-09-30T21:59:59.999Z"
SELECT r.subject_id,
  json_agg(
    json_build_object(
      'field',
      v.field,
      'from',
      p.state->v.col,
      'to',
      r.state->v.col,
      'recordedAt',
      to_char(
        r.recorded_at AT TIME ZONE 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
      ),
      'author',
      r.author
    )
    ORDER BY r.recorded_at,
      r.position,
      v.ord
  )::text AS replanned
FROM revision r
  JOIN LATERAL (
    SELECT p.state
    FROM revision p
    WHERE p.subject_id = r.subject_id
      AND (p.recorded_at, p.position) < (r.recorded_at, r.position)
    ORDER BY p.recorded_at DESC,
      p.position DESC
    LIMIT 1
  ) p ON true
  CROSS JOIN LATERAL (
    VALUES ('goal', 1, 'title', 'title'),
      ('goal', 2, 'dueDate', 'due_date'),
      (
        'goal',
        3,
        'indicator.baseline',
        'indicator_baseline'
      ),
      (
        'goal',
        4,
        'indicator.target',
        'indicator_target'
      ),
      ('activity', 1, 'title', 'title'),
      ('activity', 2, 'startDate', 'start_date'),
      ('activity', 3, 'dueDate', 'due_date'),
      ('low_hanging_fruit', 1, 'what', 'what'),
      ('low_hanging_fruit', 2, 'when', 'when_date'),
      ('risk', 1, 'title', 'title'),
      ('risk', 2, 'likelihood', 'likelihood'),
      ('risk', 3, 'impact', 'impact')
  ) v(type, ord, field, col)
WHERE r.cluster_id IN ($1, $2)
  AND r.recorded_at >= $3
  AND r.recorded_at <= $4
  AND r.subject_type IN ('goal', 'activity', 'low_hanging_fruit', 'risk')
  AND r.kind = 'updated'
  AND v.type = r.subject_type::text
  AND r.state ? v.col
  AND (p.state->v.col) IS DISTINCT
FROM (r.state->v.col)
GROUP BY r.subject_id;

-- ReportsRepository.changes: two clusters
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000c002"
-- $3 = "2026-06-30T22:00:00.000Z"
-- $4 = "2026-09-30T21:59:59.999Z"
SELECT su.subject_id,
  count(*)::int AS count,
  '[' || string_agg(
    '{"status" : ' || to_json(su.status)::text || CASE
      WHEN su.subject_type = 'goal' THEN ''
      ELSE ', "state" : ' || COALESCE(to_json(su.state)::text, 'null')
    END || ', "comment" : ' || COALESCE(to_json(su.comment)::text, 'null') || ', "author" : ' || to_json(su.author)::text || ', "createdAt" : "' || to_char(
      su.created_at AT TIME ZONE 'UTC',
      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
    ) || '"}',
    ', '
    ORDER BY su.created_at,
      su.seq
  ) || ']' AS changes
FROM status_update su
WHERE su.cluster_id IN ($1, $2)
  AND su.created_at >= $3
  AND su.created_at <= $4
GROUP BY su.subject_id;

-- ReportsRepository.narratives: two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-07-01"
-- $5 = "2026-09-30"
SELECT n.id,
  n.cluster_id,
  n.period,
  n.summary,
  n.results,
  n.deviations,
  n.next_steps,
  n.version
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
    WHERE live.cluster_id IN ($2, $3)
      AND live.first_day = $4
      AND live.last_day = $5
  ) n;

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
