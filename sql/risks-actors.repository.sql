-- The SQL that RisksActorsRepository (src/reports/read/risks-actors.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- RisksActorsRepository.risks: two clusters
-- $1 = "2026-09-30T21:59:59.999Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "2026-06-30T22:00:00.000Z"
SELECT r.id,
  r.cluster_id,
  r.title,
  r.likelihood,
  r.impact,
  r.score,
  s.status AS status_at_start,
  e.status AS status_at_end,
  e.state AS state_at_end
FROM (
    SELECT s.*
    FROM "risk" live
      JOIN LATERAL (
        SELECT r.state
        FROM revision r
        WHERE r.subject_id = live.id
          AND r.recorded_at <= $1
        ORDER BY r.recorded_at DESC,
          r.position DESC
        LIMIT 1
      ) r ON true
      CROSS JOIN LATERAL jsonb_populate_record(NULL::"risk", r.state) s
    WHERE live.cluster_id IN ($2, $3)
  ) r
  JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = r.id
      AND su.created_at <= $4
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) e ON true
  LEFT JOIN LATERAL (
    SELECT su.status,
      su.state
    FROM status_update su
    WHERE su.subject_id = r.id
      AND su.created_at < $5
    ORDER BY su.created_at DESC,
      su.seq DESC
    LIMIT 1
  ) s ON true
WHERE r.archived_at IS NULL
  OR r.archived_at >= $5
ORDER BY r.cluster_id,
  r.score DESC,
  r.created_at,
  r.id;

-- RisksActorsRepository.actorCounts: two clusters
-- $1 = "2026-06-30T22:00:00.000Z"
-- $2 = "00000000-0000-4000-8000-00000000c001"
-- $3 = "00000000-0000-4000-8000-00000000c002"
-- $4 = "2026-09-30T21:59:59.999Z"
-- $5 = "00000000-0000-4000-8000-00000000c001"
-- $6 = "00000000-0000-4000-8000-00000000c002"
SELECT x.cluster_id,
  x.moment,
  x.kind,
  x.core,
  x.engagement,
  count(*)::int AS count
FROM (
    SELECT 'start' AS moment,
      e.cluster_id,
      e.kind,
      e.core,
      e.engagement,
      e.archived
    FROM actor a
      JOIN LATERAL (
        SELECT ae.cluster_id,
          ae.kind,
          ae.core,
          ae.engagement,
          ae.archived
        FROM actor_engagement ae
        WHERE ae.actor_id = a.id
          AND ae.created_at < $1
        ORDER BY ae.created_at DESC,
          ae.seq DESC
        LIMIT 1
      ) e ON true
    WHERE a.cluster_id IN ($2, $3)
    UNION ALL
    SELECT 'end' AS moment,
      e.cluster_id,
      e.kind,
      e.core,
      e.engagement,
      e.archived
    FROM actor a
      JOIN LATERAL (
        SELECT ae.cluster_id,
          ae.kind,
          ae.core,
          ae.engagement,
          ae.archived
        FROM actor_engagement ae
        WHERE ae.actor_id = a.id
          AND ae.created_at <= $4
        ORDER BY ae.created_at DESC,
          ae.seq DESC
        LIMIT 1
      ) e ON true
    WHERE a.cluster_id IN ($5, $6)
  ) x
WHERE NOT x.archived
GROUP BY x.cluster_id,
  x.moment,
  x.kind,
  x.core,
  x.engagement
ORDER BY x.cluster_id,
  x.moment DESC,
  x.kind,
  x.core,
  x.engagement;
