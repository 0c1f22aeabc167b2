-- The SQL that SubscriptionsRepository (src/notifications/subscriptions.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- SubscriptionsRepository.lockKey: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
SELECT pg_advisory_xact_lock(hashtext('subscription per key'), hashtext($1));

-- SubscriptionsRepository.countOfKey: a key
-- $1 = "00000000-0000-4000-8000-00000000a001"
SELECT count(*)::int AS n
FROM subscription
WHERE api_key_id = $1;

-- SubscriptionsRepository.insert: a subscription in a cluster
-- $1 = "00000000-0000-4000-8000-00000000a001"
-- $2 = "process.leader@example.org"
-- $3 = "sv"
-- $4 = ["submission_due","weekly_digest"]
-- $5 = ["00000000-0000-4000-8000-00000000c001"]
-- $6 = {"type":"Buffer","data":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7]}
-- $7 = "dW5zdWJzY3JpYmUtdG9rZW4tZXhhbXBsZQ"
INSERT INTO subscription AS s (
    api_key_id,
    email,
    language,
    topics,
    cluster_ids,
    confirm_token_hash,
    unsubscribe_token
  )
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING s.id,
  s.api_key_id,
  s.email,
  s.language,
  s.topics,
  s.cluster_ids,
  s.state,
  s.created_at,
  s.confirmed_at;

-- SubscriptionsRepository.queueConfirmation: a confirmation
-- $1 = "00000000-0000-4000-8000-0000000000b1"
-- $2 = "Bekräfta"
-- $3 = "Öppna länken"
-- $4 = "<p>Öppna länken</p>"
INSERT INTO email (
    subscription_id,
    topic,
    dedupe_key,
    subject,
    text,
    html
  )
VALUES ($1, 'confirmation', 'confirmation', $2, $3, $4);

-- SubscriptionsRepository.list: the first page of a viewer key
-- $1 = "00000000-0000-4000-8000-00000000a001"
-- $2 = 50
-- $3 = 0
SELECT s.id,
  s.api_key_id,
  s.email,
  s.language,
  s.topics,
  s.cluster_ids,
  s.state,
  s.created_at,
  s.confirmed_at,
  count(*) OVER () AS total_count
FROM subscription s
WHERE s.api_key_id = $1
ORDER BY s.created_at,
  s.id
LIMIT $2 OFFSET $3;

-- SubscriptionsRepository.list: a page past the end, for an admin key
-- $1 = 50
-- $2 = 100
SELECT s.id,
  s.api_key_id,
  s.email,
  s.language,
  s.topics,
  s.cluster_ids,
  s.state,
  s.created_at,
  s.confirmed_at,
  count(*) OVER () AS total_count
FROM subscription s
WHERE TRUE
ORDER BY s.created_at,
  s.id
LIMIT $1 OFFSET $2;

-- SubscriptionsRepository.list: a page past the end, for an admin key
SELECT count(*) AS n
FROM subscription s
WHERE TRUE;

-- SubscriptionsRepository.find: a subscription of a viewer key
-- $1 = "00000000-0000-4000-8000-0000000000b1"
-- $2 = "00000000-0000-4000-8000-00000000a001"
SELECT s.id,
  s.api_key_id,
  s.email,
  s.language,
  s.topics,
  s.cluster_ids,
  s.state,
  s.created_at,
  s.confirmed_at
FROM subscription s
WHERE s.id = $1
  AND s.api_key_id = $2;

-- SubscriptionsRepository.delete: a subscription
-- $1 = "00000000-0000-4000-8000-0000000000b1"
DELETE FROM subscription
WHERE id = $1;

-- SubscriptionsRepository.emails: the first page
-- $1 = "00000000-0000-4000-8000-0000000000b1"
-- $2 = 50
-- $3 = 0
SELECT e.id,
  e.subscription_id,
  e.topic,
  e.subject,
  e.state,
  e.attempt,
  e.last_error,
  e.created_at,
  e.sent_at,
  e.next_attempt_at,
  count(*) OVER () AS total_count
FROM email e
WHERE e.subscription_id = $1
ORDER BY e.created_at DESC,
  e.id
LIMIT $2 OFFSET $3;

-- SubscriptionsRepository.emails: a page past the end
-- $1 = "00000000-0000-4000-8000-0000000000b1"
-- $2 = 50
-- $3 = 100
SELECT e.id,
  e.subscription_id,
  e.topic,
  e.subject,
  e.state,
  e.attempt,
  e.last_error,
  e.created_at,
  e.sent_at,
  e.next_attempt_at,
  count(*) OVER () AS total_count
FROM email e
WHERE e.subscription_id = $1
ORDER BY e.created_at DESC,
  e.id
LIMIT $2 OFFSET $3;

-- SubscriptionsRepository.emails: a page past the end
-- $1 = "00000000-0000-4000-8000-0000000000b1"
SELECT count(*) AS n
FROM email e
WHERE e.subscription_id = $1;

-- SubscriptionsRepository.confirm: by its link's token
-- $1 = {"type":"Buffer","data":[7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7]}
WITH confirmed AS (
  UPDATE subscription
  SET state = 'confirmed',
    confirmed_at = COALESCE(confirmed_at, clock_timestamp())
  WHERE confirm_token_hash = $1
  RETURNING id
)
SELECT id
FROM confirmed;

-- SubscriptionsRepository.confirm: by id
-- $1 = "00000000-0000-4000-8000-0000000000b1"
WITH confirmed AS (
  UPDATE subscription
  SET state = 'confirmed',
    confirmed_at = COALESCE(confirmed_at, clock_timestamp())
  WHERE id = $1
  RETURNING id
)
SELECT id
FROM confirmed;

-- SubscriptionsRepository.dueRemindersNow: the job
UPDATE email_job
SET next_run_at = '-infinity'
WHERE name = 'submission_due';

-- SubscriptionsRepository.unsubscribe: a token
-- $1 = "dW5zdWJzY3JpYmUtdG9rZW4tZXhhbXBsZQ"
WITH gone AS (
  DELETE FROM subscription
  WHERE unsubscribe_token = $1
  RETURNING id
)
SELECT id
FROM gone;

-- SubscriptionsRepository.knowsUnsubscribeToken: a token
-- $1 = "dW5zdWJzY3JpYmUtdG9rZW4tZXhhbXBsZQ"
SELECT 1
FROM subscription
WHERE unsubscribe_token = $1;
