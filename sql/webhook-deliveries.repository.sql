-- The SQL that WebhookDeliveriesRepository (src/webhooks/webhook-deliveries.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- WebhookDeliveriesRepository.staleSecrets: a key prefix
-- $1 = {"type":"Buffer","data":[118,50,58,107,49,58]}
-- $2 = 6
SELECT id,
  secret_encrypted
FROM webhook
WHERE archived_at IS NULL
  AND substring(
    secret_encrypted
    FROM 1 FOR $2::int
  ) <> $1;

-- WebhookDeliveriesRepository.reseal: a secret
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = {"type":"Buffer","data":[118,50,58,107,49,58,110,101,119]}
-- $3 = {"type":"Buffer","data":[118,49,58,111,108,100]}
UPDATE webhook
SET secret_encrypted = $2
WHERE id = $1
  AND secret_encrypted = $3;

-- WebhookDeliveriesRepository.lockCursor: the cursor
SELECT d.xid::text AS xid,
  d.position::text AS position,
  EXISTS (
    SELECT 1
    FROM webhook w
      JOIN api_key k ON k.id = w.api_key_id
    WHERE w.disabled_at IS NULL
      AND w.archived_at IS NULL
      AND k.revoked_at IS NULL
  ) AS active
FROM webhook_dispatch d
WHERE d.id = 1 FOR
UPDATE OF d SKIP LOCKED;

-- WebhookDeliveriesRepository.active: the active webhooks
SELECT w.id,
  w.types,
  w.cluster_ids,
  w.created_at,
  w.created_snapshot::text AS created_snapshot,
  k.id AS key_id,
  k.name AS key_name,
  k.role,
  k.cluster_ids AS key_cluster_ids,
  k.funder_id
FROM webhook w
  JOIN api_key k ON k.id = w.api_key_id
WHERE w.disabled_at IS NULL
  AND w.archived_at IS NULL
  AND k.revoked_at IS NULL;

-- WebhookDeliveriesRepository.queue: two events
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = "[{\"id\":\"00000000-0000-4000-8000-0000000000f1\",\"type\":\"goal.updated\",\"payload\":\"{}\",\"subject_type\":\"goal\",\"subject_id\":\"00000000-0000-4000-8000-0000000000e2\",\"cluster_id\":null},{\"id\":\"00000000-0000-4000-8000-0000000000f2\",\"type\":\"goal.archived\",\"payload\":\"{}\",\"subject_type\":\"goal\",\"subject_id\":\"00000000-0000-4000-8000-0000000000e2\",\"cluster_id\":null}]"
INSERT INTO webhook_delivery (
    webhook_id,
    event_id,
    event_type,
    payload,
    subject_type,
    subject_id,
    cluster_id
  )
SELECT $1,
  e.id,
  e.type,
  e.payload,
  e.subject_type,
  e.subject_id,
  e.cluster_id
FROM jsonb_to_recordset($2::jsonb) AS e(
    id uuid,
    type text,
    payload text,
    subject_type text,
    subject_id uuid,
    cluster_id uuid
  ) ON CONFLICT (webhook_id, event_id) DO NOTHING;

-- WebhookDeliveriesRepository.moveCursor: a cursor
-- $1 = "1300"
-- $2 = "120"
UPDATE webhook_dispatch
SET xid = $1,
  position = $2
WHERE id = 1;

-- WebhookDeliveriesRepository.lockClaims: the lock
-- $1 = 7365400001
SELECT pg_advisory_xact_lock($1);

-- WebhookDeliveriesRepository.claim: fifty
-- $1 = 30000
-- $2 = 50
-- $3 = 2
WITH due AS (
  SELECT d.id,
    d.webhook_id,
    d.next_attempt_at,
    w.failing_since IS NOT NULL AS failing,
    row_number() OVER (
      PARTITION BY d.webhook_id
      ORDER BY d.next_attempt_at,
        d.id
    ) AS rank
  FROM webhook_delivery d
    JOIN webhook w ON w.id = d.webhook_id
    JOIN api_key k ON k.id = w.api_key_id
  WHERE d.state = 'pending'
    AND d.next_attempt_at <= clock_timestamp()
    AND (
      d.locked_until IS NULL
      OR d.locked_until < clock_timestamp()
    )
    AND w.disabled_at IS NULL
    AND w.archived_at IS NULL
    AND k.revoked_at IS NULL
),
busy AS (
  SELECT b.webhook_id,
    count(*) AS n
  FROM webhook_delivery b
  WHERE b.state = 'pending'
    AND b.locked_until >= clock_timestamp()
  GROUP BY b.webhook_id
),
picked AS (
  SELECT due.id
  FROM due
    LEFT JOIN busy ON busy.webhook_id = due.webhook_id
  WHERE due.rank + COALESCE(busy.n, 0) <= $3
  ORDER BY due.rank + COALESCE(busy.n, 0),
    due.failing,
    due.next_attempt_at
  LIMIT $2
), claimed AS (
  UPDATE webhook_delivery d
  SET attempt = d.attempt + 1,
    locked_until = clock_timestamp() + make_interval(secs => $1::double precision / 1000)
  FROM webhook w
    JOIN api_key k ON k.id = w.api_key_id
  WHERE d.id IN (
      SELECT l.id
      FROM webhook_delivery l
      WHERE l.id IN (
          SELECT id
          FROM picked
        )
        AND l.state = 'pending'
        AND (
          l.locked_until IS NULL
          OR l.locked_until < clock_timestamp()
        ) FOR
      UPDATE OF l SKIP LOCKED
    )
    AND w.id = d.webhook_id
  RETURNING d.id,
    d.webhook_id,
    d.event_id,
    d.attempt,
    d.payload,
    d.subject_type,
    w.url,
    w.secret_encrypted,
    k.id AS key_id,
    k.name AS key_name,
    k.role,
    k.cluster_ids AS key_cluster_ids,
    k.funder_id
)
SELECT *
FROM claimed;

-- WebhookDeliveriesRepository.mayRead: a delivery, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000f001"
-- $2 = "00000000-0000-4000-8000-0000000000e2"
SELECT (
    CASE
      WHEN d.subject_type::text = 'funding' THEN EXISTS (
        SELECT 1
        FROM funding fdv
        WHERE fdv.id = d.subject_id
          AND fdv.funder_id = $1
      )
      WHEN d.subject_type::text = 'report_submission' THEN EXISTS (
        SELECT 1
        FROM report_submission rsv
        WHERE rsv.id = d.subject_id
          AND rsv.funder_id = $1
      )
      WHEN d.subject_type::text = 'indicator_definition' THEN TRUE
      ELSE d.cluster_id IN (
        SELECT fv.cluster_id
        FROM funding fv
        WHERE fv.funder_id = $1
          AND fv.archived_at IS NULL
      )
    END
  ) AS visible
FROM webhook_delivery d
WHERE d.id = $2;

-- WebhookDeliveriesRepository.skip: an attempt
-- $1 = "00000000-0000-4000-8000-0000000000e2"
-- $2 = 1
UPDATE webhook_delivery
SET state = 'skipped',
  attempt = attempt - 1,
  locked_until = NULL,
  next_attempt_at = NULL,
  last_error = 'Not sent: the webhook''s API key may no longer read the subject of this event.'
WHERE id = $1
  AND attempt = $2;

-- WebhookDeliveriesRepository.release: an attempt
-- $1 = "00000000-0000-4000-8000-0000000000e2"
-- $2 = 1
UPDATE webhook_delivery
SET attempt = attempt - 1,
  locked_until = NULL
WHERE id = $1
  AND attempt = $2;

-- WebhookDeliveriesRepository.recordOutcome: a failure, retried in a minute
-- $1 = "00000000-0000-4000-8000-0000000000e2"
-- $2 = 1
-- $3 = false
-- $4 = 503
-- $5 = 120
-- $6 = 60000
-- $7 = "HTTP 503"
WITH outcome AS (
  UPDATE webhook_delivery
  SET state = CASE
      WHEN $3 THEN 'succeeded'
      WHEN $6::double precision IS NULL THEN 'failed'
      ELSE 'pending'
    END::webhook_delivery_state,
    response_status = $4,
    duration_ms = $5,
    last_error = $7,
    locked_until = NULL,
    delivered_at = CASE
      WHEN $3 THEN clock_timestamp()
    END,
    next_attempt_at = CASE
      WHEN $3
      OR $6::double precision IS NULL THEN NULL
      ELSE clock_timestamp() + make_interval(secs => $6::double precision / 1000)
    END
  WHERE id = $1
    AND attempt = $2
  RETURNING id
)
SELECT id
FROM outcome;

-- WebhookDeliveriesRepository.succeeded: a webhook
-- $1 = "00000000-0000-4000-8000-0000000000e1"
UPDATE webhook
SET failing_since = NULL
WHERE id = $1
  AND failing_since IS NOT NULL;

-- WebhookDeliveriesRepository.failed: a webhook
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = 259200000
UPDATE webhook
SET failing_since = COALESCE(failing_since, clock_timestamp()),
  disabled_at = CASE
    WHEN disabled_at IS NULL
    AND COALESCE(failing_since, clock_timestamp()) <= clock_timestamp() - make_interval(secs => $2::double precision / 1000) THEN clock_timestamp()
    ELSE disabled_at
  END
WHERE id = $1;
