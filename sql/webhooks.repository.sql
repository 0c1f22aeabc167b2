-- The SQL that WebhooksRepository (src/webhooks/webhooks.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- WebhooksRepository.holdDispatch: the cursor row
SELECT 1
FROM webhook_dispatch
WHERE id = 1 FOR SHARE;

-- WebhooksRepository.lockKey: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
SELECT pg_advisory_xact_lock(hashtext('webhook per key'), hashtext($1));

-- WebhooksRepository.countOfKey: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
SELECT count(*)::int AS n
FROM webhook
WHERE api_key_id = $1
  AND archived_at IS NULL;

-- WebhooksRepository.insert: a webhook of some types in a cluster
-- $1 = "00000000-0000-4000-8000-00000000a001"
-- $2 = "https://hooks.example.org/styrman"
-- $3 = ["goal.status_changed"]
-- $4 = ["00000000-0000-4000-8000-00000000c001"]
-- $5 = null
-- $6 = {"type":"Buffer","data":[118,50,58,107,49,58,115,101,97,108,101,100]}
INSERT INTO webhook AS w (
    api_key_id,
    url,
    types,
    cluster_ids,
    description,
    secret_encrypted,
    created_snapshot
  )
VALUES ($1, $2, $3, $4, $5, $6, pg_current_snapshot())
RETURNING w.id,
  w.api_key_id,
  w.url,
  w.types,
  w.cluster_ids,
  w.description,
  w.version,
  w.created_at,
  w.updated_at,
  w.failing_since,
  w.disabled_at,
  w.archived_at;

-- WebhooksRepository.list: the live webhooks of an editor key
-- $1 = "00000000-0000-4000-8000-00000000a001"
-- $2 = 50
-- $3 = 0
SELECT w.id,
  w.api_key_id,
  w.url,
  w.types,
  w.cluster_ids,
  w.description,
  w.version,
  w.created_at,
  w.updated_at,
  w.failing_since,
  w.disabled_at,
  w.archived_at,
  count(*) OVER () AS total_count
FROM webhook w
WHERE w.api_key_id = $1
  AND w.archived_at IS NULL
ORDER BY w.created_at,
  w.id
LIMIT $2 OFFSET $3;

-- WebhooksRepository.list: all webhooks, for an admin key
-- $1 = 20
-- $2 = 20
SELECT w.id,
  w.api_key_id,
  w.url,
  w.types,
  w.cluster_ids,
  w.description,
  w.version,
  w.created_at,
  w.updated_at,
  w.failing_since,
  w.disabled_at,
  w.archived_at,
  count(*) OVER () AS total_count
FROM webhook w
WHERE TRUE
ORDER BY w.created_at,
  w.id
LIMIT $1 OFFSET $2;

-- WebhooksRepository.list: all webhooks, for an admin key
SELECT count(*) AS n
FROM webhook w
WHERE TRUE;

-- WebhooksRepository.find: a webhook of an editor key
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = "00000000-0000-4000-8000-00000000a001"
SELECT w.id,
  w.api_key_id,
  w.url,
  w.types,
  w.cluster_ids,
  w.description,
  w.version,
  w.created_at,
  w.updated_at,
  w.failing_since,
  w.disabled_at,
  w.archived_at
FROM webhook w
WHERE w.id = $1
  AND w.api_key_id = $2;

-- WebhooksRepository.find: a webhook to change, for an admin key
-- $1 = "00000000-0000-4000-8000-0000000000e1"
SELECT w.id,
  w.api_key_id,
  w.url,
  w.types,
  w.cluster_ids,
  w.description,
  w.version,
  w.created_at,
  w.updated_at,
  w.failing_since,
  w.disabled_at,
  w.archived_at
FROM webhook w
WHERE w.id = $1
  AND TRUE FOR
UPDATE;

-- WebhooksRepository.update: a new address
-- $1 = "https://hooks.example.org/v2"
-- $2 = "00000000-0000-4000-8000-0000000000e1"
WITH changed AS (
  UPDATE webhook w
  SET url = $1,
    version = w.version + 1,
    updated_at = now()
  WHERE w.id = $2
  RETURNING w.id,
    w.api_key_id,
    w.url,
    w.types,
    w.cluster_ids,
    w.description,
    w.version,
    w.created_at,
    w.updated_at,
    w.failing_since,
    w.disabled_at,
    w.archived_at
)
SELECT *
FROM changed;

-- WebhooksRepository.update: turned on again, for a cluster
-- $1 = ["00000000-0000-4000-8000-00000000c001"]
-- $2 = "00000000-0000-4000-8000-0000000000e1"
WITH changed AS (
  UPDATE webhook w
  SET cluster_ids = $1,
    disabled_at = NULL,
    failing_since = NULL,
    version = w.version + 1,
    updated_at = now()
  WHERE w.id = $2
  RETURNING w.id,
    w.api_key_id,
    w.url,
    w.types,
    w.cluster_ids,
    w.description,
    w.version,
    w.created_at,
    w.updated_at,
    w.failing_since,
    w.disabled_at,
    w.archived_at
)
SELECT *
FROM changed;

-- WebhooksRepository.replaceSecret: a webhook
-- $1 = {"type":"Buffer","data":[118,50,58,107,49,58,115,101,97,108,101,100]}
-- $2 = "00000000-0000-4000-8000-0000000000e1"
WITH changed AS (
  UPDATE webhook w
  SET secret_encrypted = $1,
    version = w.version + 1,
    updated_at = now()
  WHERE w.id = $2
  RETURNING w.id,
    w.api_key_id,
    w.url,
    w.types,
    w.cluster_ids,
    w.description,
    w.version,
    w.created_at,
    w.updated_at,
    w.failing_since,
    w.disabled_at,
    w.archived_at
)
SELECT *
FROM changed;

-- WebhooksRepository.archive: a webhook
-- $1 = "00000000-0000-4000-8000-0000000000e1"
UPDATE webhook
SET archived_at = now(),
  version = version + 1,
  updated_at = now()
WHERE id = $1
  AND archived_at IS NULL;

-- WebhooksRepository.deliveries: the first page
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = 50
-- $3 = 0
SELECT d.*,
  count(*) OVER () AS total_count
FROM webhook_delivery d
WHERE d.webhook_id = $1
ORDER BY d.created_at DESC,
  d.id
LIMIT $2 OFFSET $3;

-- WebhooksRepository.deliveries: the failed ones, past the end
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = "failed"
-- $3 = 50
-- $4 = 100
SELECT d.*,
  count(*) OVER () AS total_count
FROM webhook_delivery d
WHERE d.webhook_id = $1
  AND d.state = $2
ORDER BY d.created_at DESC,
  d.id
LIMIT $3 OFFSET $4;

-- WebhooksRepository.deliveries: the failed ones, past the end
-- $1 = "00000000-0000-4000-8000-0000000000e1"
-- $2 = "failed"
SELECT count(*) AS n
FROM webhook_delivery d
WHERE d.webhook_id = $1
  AND d.state = $2;

-- WebhooksRepository.retry: a delivery
-- $1 = "00000000-0000-4000-8000-0000000000e2"
-- $2 = "00000000-0000-4000-8000-0000000000e1"
WITH retried AS (
  UPDATE webhook_delivery
  SET state = 'pending',
    next_attempt_at = now(),
    locked_until = NULL
  WHERE id = $1
    AND webhook_id = $2
  RETURNING *
)
SELECT *
FROM retried;

-- WebhooksRepository.ping: a webhook
-- $1 = "00000000-0000-4000-8000-0000000000e1"
WITH ping AS (
  SELECT gen_random_uuid() AS id,
    date_trunc('milliseconds', now()) AS at
)
INSERT INTO webhook_delivery (webhook_id, event_id, event_type, payload)
SELECT $1,
  ping.id,
  'webhook.ping',
  json_build_object(
    'id',
    ping.id,
    'type',
    'webhook.ping',
    'occurredAt',
    to_char(
      ping.at AT TIME ZONE 'UTC',
      'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'
    ),
    'data',
    json_build_object('webhookId', $1::uuid)
  )::text
FROM ping
RETURNING *;

-- WebhooksRepository.keyRevoked: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
SELECT revoked_at IS NOT NULL AS revoked
FROM api_key
WHERE id = $1;
