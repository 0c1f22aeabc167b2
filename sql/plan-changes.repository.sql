-- The SQL that PlanChangesRepository (src/plan/plan-changes.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- PlanChangesRepository.changed: a cluster from the end of the third quarter to a day in December
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "2026-09-30T21:59:59.999Z"
-- $3 = "2026-12-06T12:00:00.000Z"
WITH touched AS (
  SELECT r.subject_type,
    r.subject_id,
    min(r.position) AS first_position,
    jsonb_agg(
      jsonb_build_object(
        'version',
        r.version,
        'recordedAt',
        to_char(
          r.recorded_at AT TIME ZONE 'UTC',
          'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
        ),
        'author',
        r.author
      )
      ORDER BY r.recorded_at,
        r.position
    ) AS revisions
  FROM revision r
  WHERE r.cluster_id = $1
    AND r.recorded_at > $2
    AND r.recorded_at <= $3
    AND r.subject_type IN (
      'cluster',
      'goal',
      'activity',
      'low_hanging_fruit',
      'risk',
      'actor'
    )
  GROUP BY r.subject_type,
    r.subject_id
)
SELECT t.subject_type,
  t.subject_id,
  t.revisions,
  a.state::text AS state_from,
  b.state::text AS state_to
FROM touched t
  LEFT JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = t.subject_id
      AND r.recorded_at <= $2
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) a ON true
  JOIN LATERAL (
    SELECT r.state
    FROM revision r
    WHERE r.subject_id = t.subject_id
      AND r.recorded_at <= $3
    ORDER BY r.recorded_at DESC,
      r.position DESC
    LIMIT 1
  ) b ON true
ORDER BY array_position(
    ARRAY ['cluster', 'goal', 'activity', 'low_hanging_fruit', 'risk', 'actor']::text [],
    t.subject_type::text
  ),
  t.first_position;
