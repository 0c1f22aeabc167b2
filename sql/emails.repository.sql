-- The SQL that EmailsRepository (src/notifications/emails.repository.ts) sends, written by `npm run sql`: do not edit.
-- CI (`npm run sql:check`) fails when this file and the code differ.

-- EmailsRepository.claim: twenty
-- $1 = 60000
-- $2 = 20
WITH claimed AS (
  UPDATE email e
  SET attempt = e.attempt + 1,
    locked_until = clock_timestamp() + make_interval(secs => $1::double precision / 1000)
  WHERE e.id IN (
      SELECT l.id
      FROM email l
      WHERE l.state = 'pending'
        AND l.next_attempt_at <= clock_timestamp()
        AND (
          l.locked_until IS NULL
          OR l.locked_until < clock_timestamp()
        )
      ORDER BY l.next_attempt_at,
        l.id
      LIMIT $2 FOR
      UPDATE OF l SKIP LOCKED
    )
  RETURNING e.id,
    e.subscription_id,
    e.topic,
    e.cluster_id,
    e.subject,
    e.text,
    e.html,
    e.attempt
)
SELECT c.*,
  s.email,
  s.state,
  s.unsubscribe_token,
  k.id AS key_id,
  k.name AS key_name,
  k.role,
  k.cluster_ids AS key_cluster_ids,
  k.funder_id,
  k.revoked_at IS NOT NULL AS revoked
FROM claimed c
  JOIN subscription s ON s.id = c.subscription_id
  JOIN api_key k ON k.id = s.api_key_id;

-- EmailsRepository.mayReadCluster: a cluster, for a funder key
-- $1 = "00000000-0000-4000-8000-00000000c001"
-- $2 = "00000000-0000-4000-8000-00000000f001"
SELECT 1
FROM cluster c
WHERE c.id = $1
  AND c.id IN (
    SELECT fv.cluster_id
    FROM funding fv
    WHERE fv.funder_id = $2
      AND fv.archived_at IS NULL
  );

-- EmailsRepository.skip: an attempt
-- $1 = "00000000-0000-4000-8000-0000000000b2"
-- $2 = 1
-- $3 = "Not sent: the API key of the subscription is revoked."
UPDATE email
SET state = 'skipped',
  attempt = attempt - 1,
  locked_until = NULL,
  next_attempt_at = NULL,
  last_error = $3
WHERE id = $1
  AND attempt = $2;

-- EmailsRepository.recordOutcome: a failure, retried in a minute
-- $1 = "00000000-0000-4000-8000-0000000000b2"
-- $2 = 1
-- $3 = "Connection refused"
-- $4 = 60000
UPDATE email
SET state = CASE
    WHEN $3::text IS NULL THEN 'sent'
    WHEN $4::double precision IS NULL THEN 'failed'
    ELSE 'pending'
  END::email_state,
  sent_at = CASE
    WHEN $3::text IS NULL THEN clock_timestamp()
  END,
  last_error = $3,
  locked_until = NULL,
  next_attempt_at = CASE
    WHEN $3::text IS NULL
    OR $4::double precision IS NULL THEN NULL
    ELSE clock_timestamp() + make_interval(secs => $4::double precision / 1000)
  END,
  text = CASE
    WHEN $3::text IS NULL
    AND topic = 'confirmation' THEN ''
    ELSE text
  END,
  html = CASE
    WHEN $3::text IS NULL
    AND topic = 'confirmation' THEN ''
    ELSE html
  END
WHERE id = $1
  AND attempt = $2;
