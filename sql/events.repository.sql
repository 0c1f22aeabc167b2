-- The SQL that EventsRepository (src/events/events.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- EventsRepository.page: a page, for an admin key
-- $1 = "1203"
-- $2 = "88"
-- $3 = 1000
-- $4 = 100
WITH scanned AS (
  SELECT r.*
  FROM revision r
  WHERE (r.xid, r.position) > ($1::bigint, $2::bigint)
    AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  ORDER BY r.xid,
    r.position
  LIMIT $3
), matched AS (
  SELECT s.*,
    (
      CASE
        WHEN s.subject_type::text IN ('funder', 'narrative') THEN NULL
        WHEN s.subject_type::text = 'measurement' THEN 'measurement.recorded'
        WHEN s.subject_type::text = 'report_submission' THEN 'report_submission.' || (s.state->>'state')
        WHEN s.subject_type::text IN ('cluster', 'funding')
        AND s.kind = 'status' THEN s.subject_type::text || '.updated'
        WHEN s.kind = 'status' THEN s.subject_type::text || '.status_changed'
        ELSE s.subject_type::text || '.' || s.kind::text
      END
    ) AS type
  FROM scanned s
  WHERE (
      CASE
        WHEN s.subject_type::text IN ('funder', 'narrative') THEN NULL
        WHEN s.subject_type::text = 'measurement' THEN 'measurement.recorded'
        WHEN s.subject_type::text = 'report_submission' THEN 'report_submission.' || (s.state->>'state')
        WHEN s.subject_type::text IN ('cluster', 'funding')
        AND s.kind = 'status' THEN s.subject_type::text || '.updated'
        WHEN s.kind = 'status' THEN s.subject_type::text || '.status_changed'
        ELSE s.subject_type::text || '.' || s.kind::text
      END
    ) IS NOT NULL
    AND (
      CASE
        WHEN s.subject_type::text = 'funding' THEN EXISTS (
          SELECT 1
          FROM funding fdv
          WHERE fdv.id = s.subject_id
            AND TRUE
        )
        WHEN s.subject_type::text = 'report_submission' THEN EXISTS (
          SELECT 1
          FROM report_submission rsv
          WHERE rsv.id = s.subject_id
            AND TRUE
        )
        WHEN s.subject_type::text = 'indicator_definition' THEN TRUE
        ELSE TRUE
      END
    )
  ORDER BY s.xid,
    s.position
  LIMIT $4
)
SELECT edge.scanned_to,
  m.position,
  m.xid,
  m.event_id,
  m.type,
  m.subject_type::text AS subject_type,
  m.subject_id,
  m.cluster_id,
  m.version,
  m.author,
  m.recorded_at,
  m.state::text AS state,
  p.state::text AS previous
FROM (
    SELECT (
        SELECT s.xid || '_' || s.position
        FROM scanned s
        ORDER BY s.xid DESC,
          s.position DESC
        LIMIT 1
      ) AS scanned_to
  ) edge
  LEFT JOIN matched m ON true
  LEFT JOIN LATERAL (
    SELECT p.state
    FROM revision p
    WHERE p.subject_id = m.subject_id
      AND (p.recorded_at, p.position) < (m.recorded_at, m.position)
    ORDER BY p.recorded_at DESC,
      p.position DESC
    LIMIT 1
  ) p ON true
ORDER BY m.xid,
  m.position;

-- EventsRepository.page: a dispatcher's window of some types and clusters, for a funder key
-- $1 = "1203"
-- $2 = "88"
-- $3 = "1300"
-- $4 = "120"
-- $5 = 1000
-- $6 = "00000000-0000-4000-8000-00000000f001"
-- $7 = "goal.updated"
-- $8 = "goal.status_changed"
-- $9 = ["00000000-0000-4000-8000-00000000c001"]
-- $10 = 100
WITH scanned AS (
  SELECT r.*
  FROM revision r
  WHERE (r.xid, r.position) > ($1::bigint, $2::bigint)
    AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    AND (r.xid, r.position) <= ($3::bigint, $4::bigint)
  ORDER BY r.xid,
    r.position
  LIMIT $5
), matched AS (
  SELECT s.*,
    (
      CASE
        WHEN s.subject_type::text IN ('funder', 'narrative') THEN NULL
        WHEN s.subject_type::text = 'measurement' THEN 'measurement.recorded'
        WHEN s.subject_type::text = 'report_submission' THEN 'report_submission.' || (s.state->>'state')
        WHEN s.subject_type::text IN ('cluster', 'funding')
        AND s.kind = 'status' THEN s.subject_type::text || '.updated'
        WHEN s.kind = 'status' THEN s.subject_type::text || '.status_changed'
        ELSE s.subject_type::text || '.' || s.kind::text
      END
    ) AS type
  FROM scanned s
  WHERE (
      CASE
        WHEN s.subject_type::text IN ('funder', 'narrative') THEN NULL
        WHEN s.subject_type::text = 'measurement' THEN 'measurement.recorded'
        WHEN s.subject_type::text = 'report_submission' THEN 'report_submission.' || (s.state->>'state')
        WHEN s.subject_type::text IN ('cluster', 'funding')
        AND s.kind = 'status' THEN s.subject_type::text || '.updated'
        WHEN s.kind = 'status' THEN s.subject_type::text || '.status_changed'
        ELSE s.subject_type::text || '.' || s.kind::text
      END
    ) IS NOT NULL
    AND (
      CASE
        WHEN s.subject_type::text = 'funding' THEN EXISTS (
          SELECT 1
          FROM funding fdv
          WHERE fdv.id = s.subject_id
            AND fdv.funder_id = $6
        )
        WHEN s.subject_type::text = 'report_submission' THEN EXISTS (
          SELECT 1
          FROM report_submission rsv
          WHERE rsv.id = s.subject_id
            AND rsv.funder_id = $6
        )
        WHEN s.subject_type::text = 'indicator_definition' THEN TRUE
        ELSE s.cluster_id IN (
          SELECT fv.cluster_id
          FROM funding fv
          WHERE fv.funder_id = $6
            AND fv.archived_at IS NULL
        )
      END
    )
    AND (
      CASE
        WHEN s.subject_type::text IN ('funder', 'narrative') THEN NULL
        WHEN s.subject_type::text = 'measurement' THEN 'measurement.recorded'
        WHEN s.subject_type::text = 'report_submission' THEN 'report_submission.' || (s.state->>'state')
        WHEN s.subject_type::text IN ('cluster', 'funding')
        AND s.kind = 'status' THEN s.subject_type::text || '.updated'
        WHEN s.kind = 'status' THEN s.subject_type::text || '.status_changed'
        ELSE s.subject_type::text || '.' || s.kind::text
      END
    ) IN ($7, $8)
    AND s.cluster_id = ANY($9::uuid [])
  ORDER BY s.xid,
    s.position
  LIMIT $10
)
SELECT edge.scanned_to,
  m.position,
  m.xid,
  m.event_id,
  m.type,
  m.subject_type::text AS subject_type,
  m.subject_id,
  m.cluster_id,
  m.version,
  m.author,
  m.recorded_at,
  m.state::text AS state,
  p.state::text AS previous
FROM (
    SELECT (
        SELECT s.xid || '_' || s.position
        FROM scanned s
        ORDER BY s.xid DESC,
          s.position DESC
        LIMIT 1
      ) AS scanned_to
  ) edge
  LEFT JOIN matched m ON true
  LEFT JOIN LATERAL (
    SELECT p.state
    FROM revision p
    WHERE p.subject_id = m.subject_id
      AND (p.recorded_at, p.position) < (m.recorded_at, m.position)
    ORDER BY p.recorded_at DESC,
      p.position DESC
    LIMIT 1
  ) p ON true
ORDER BY m.xid,
  m.position;

-- EventsRepository.resources: clusters
-- $1 = "88"
-- $2 = "91"
SELECT ev.position AS ev_position,
  ev.recorded_at AS ev_recorded_at,
  i.*
FROM revision ev
  CROSS JOIN LATERAL jsonb_populate_record(NULL::"cluster", ev.state) i
WHERE ev.position IN ($1, $2);

-- EventsRepository.resources: goals, which read their latest measurement and contributors beside their row
-- $1 = "92"
SELECT ev.position AS ev_position,
  ev.recorded_at AS ev_recorded_at,
  i.*,
  lm.value AS latest_value,
  lm.measured_on AS latest_measured_on,
  ARRAY(
    SELECT c.id
    FROM (
        SELECT s.*
        FROM "goal" live
          JOIN LATERAL (
            SELECT r.state
            FROM revision r
            WHERE r.subject_id = live.id
              AND r.recorded_at <= ev.recorded_at
            ORDER BY r.recorded_at DESC,
              r.position DESC
            LIMIT 1
          ) r ON true
          CROSS JOIN LATERAL jsonb_populate_record(NULL::"goal", r.state) s
        WHERE live.cluster_id = i.cluster_id
      ) c
    WHERE c.contributes_to_goal_id = i.id
      AND c.archived_at IS NULL
    ORDER BY c.created_at,
      c.id
  ) AS contributing_goal_ids
FROM revision ev
  CROSS JOIN LATERAL jsonb_populate_record(NULL::"goal", ev.state) i
  LEFT JOIN LATERAL (
    SELECT m.value,
      m.measured_on
    FROM measurement m
    WHERE m.goal_id = i.id
      AND date_trunc('milliseconds', m.created_at) <= ev.recorded_at
    ORDER BY m.measured_on DESC,
      m.created_at DESC
    LIMIT 1
  ) lm ON true
WHERE ev.position IN ($1);

-- EventsRepository.newRevisions: after a cursor
-- $1 = "1203"
-- $2 = "88"
SELECT r.xid::text AS xid,
  r.position::text AS position,
  (
    CASE
      WHEN r.subject_type::text IN ('funder', 'narrative') THEN NULL
      WHEN r.subject_type::text = 'measurement' THEN 'measurement.recorded'
      WHEN r.subject_type::text = 'report_submission' THEN 'report_submission.' || (r.state->>'state')
      WHEN r.subject_type::text IN ('cluster', 'funding')
      AND r.kind = 'status' THEN r.subject_type::text || '.updated'
      WHEN r.kind = 'status' THEN r.subject_type::text || '.status_changed'
      ELSE r.subject_type::text || '.' || r.kind::text
    END
  ) AS type,
  r.subject_type::text AS subject_type,
  r.cluster_id
FROM revision r
WHERE (r.xid, r.position) > ($1::bigint, $2::bigint)
  AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY r.xid,
  r.position
LIMIT 1000;

-- EventsRepository.visibleTo: an editor key and a funder key
-- $1 = "00000000-0000-4000-8000-00000000a001"
-- $2 = ["88","91"]
-- $3 = ["00000000-0000-4000-8000-00000000c001","00000000-0000-4000-8000-00000000c002"]
-- $4 = "00000000-0000-4000-8000-00000000a002"
-- $5 = ["91"]
-- $6 = "00000000-0000-4000-8000-00000000f001"
SELECT $1::text AS key,
  s.position::text AS position
FROM revision s
WHERE s.position = ANY($2::bigint [])
  AND (
    CASE
      WHEN s.subject_type::text = 'funding' THEN EXISTS (
        SELECT 1
        FROM funding fdv
        WHERE fdv.id = s.subject_id
          AND fdv.cluster_id = ANY($3)
      )
      WHEN s.subject_type::text = 'report_submission' THEN EXISTS (
        SELECT 1
        FROM report_submission rsv
        WHERE rsv.id = s.subject_id
          AND rsv.cluster_id = ANY($3)
      )
      WHEN s.subject_type::text = 'indicator_definition' THEN TRUE
      ELSE s.cluster_id = ANY($3)
    END
  )
UNION ALL
SELECT $4::text AS key,
  s.position::text AS position
FROM revision s
WHERE s.position = ANY($5::bigint [])
  AND (
    CASE
      WHEN s.subject_type::text = 'funding' THEN EXISTS (
        SELECT 1
        FROM funding fdv
        WHERE fdv.id = s.subject_id
          AND fdv.funder_id = $6
      )
      WHEN s.subject_type::text = 'report_submission' THEN EXISTS (
        SELECT 1
        FROM report_submission rsv
        WHERE rsv.id = s.subject_id
          AND rsv.funder_id = $6
      )
      WHEN s.subject_type::text = 'indicator_definition' THEN TRUE
      ELSE s.cluster_id IN (
        SELECT fv.cluster_id
        FROM funding fv
        WHERE fv.funder_id = $6
          AND fv.archived_at IS NULL
      )
    END
  );

-- EventsRepository.moveCursorToHead: the webhooks' cursor
UPDATE webhook_dispatch d
SET xid = head.xid,
  position = head.position
FROM (
    SELECT r.xid,
      r.position
    FROM revision r
    WHERE r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
    ORDER BY r.xid DESC,
      r.position DESC
    LIMIT 1
  ) head
WHERE d.id = 1
  AND (d.xid, d.position) < (head.xid, head.position);

-- EventsRepository.nextWindow: a window
-- $1 = "1203"
-- $2 = "88"
-- $3 = 200
SELECT r.xid::text AS xid,
  r.position::text AS position
FROM revision r
WHERE (r.xid, r.position) > ($1::bigint, $2::bigint)
  AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY r.xid,
  r.position
LIMIT $3;
